"""The target form switches programme certificates on, for targets of two or more courses."""

from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.targets.models import TrainingTarget


def _form(tree, courses, **fields) -> dict:
    province = tree[0]
    return {"name": "Chuẩn kỹ năng CNTT 2026", "year": "2026", "courses": [c.id for c in courses],
            "units": [province.id], "start_date": "2026-01-01", "deadline": "2026-12-31", "target_percent": "100",
            "active": "y", **fields}


def test_a_programme_certificate_needs_two_courses(client, login, tree, make_person, make_course):
    login(make_person(tree[0], "Vũ Văn Giang", roles=["admin"]))
    iu01, iu02 = make_course("IU01"), make_course("IU02")
    response = client.post_form("/targets/new", _form(tree, [iu01], programme_certificate="y"))
    assert response.status_code == 200 and "Chỉ kế hoạch từ 2 khóa học" in response.get_data(as_text=True)
    assert db.session.scalar(select(TrainingTarget)) is None
    response = client.post_form("/targets/new", _form(tree, [iu01, iu02], programme_certificate="y",
                                                      programme_title="  Chuẩn kỹ năng sử dụng CNTT cơ bản "))
    assert response.status_code == 302
    target = db.session.scalar(select(TrainingTarget))
    assert (target.programme_certificate, target.certificate_title) == (True, "Chuẩn kỹ năng sử dụng CNTT cơ bản")
    assert target.programme_code == f"KH-{target.id}"
    edit = _form(tree, [iu01, iu02], programme_certificate="y", programme_title="")
    assert client.post_form(f"/targets/{target.id}/edit", edit).status_code == 302
    db.session.refresh(target)
    assert (target.programme_title, target.certificate_title) == ("", "Chuẩn kỹ năng CNTT 2026")
