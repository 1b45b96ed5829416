"""Reminders: one e-mail to each person not finished, a digest to their HR, each send recorded, no repeats."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.targets.models import TargetReminder


class FakeSMTP:
    """Stands in for :class:`smtplib.SMTP`: records what would have been sent."""

    sent: list = []
    connections = 0

    def __init__(self, host, port, timeout=None):
        FakeSMTP.connections += 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.sent, FakeSMTP.connections = [], 0
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.test")
    monkeypatch.setitem(app.config, "REMINDER_BATCH_SIZE", 2)
    monkeypatch.setitem(app.config, "REMINDER_BATCH_PAUSE_SECONDS", 0)
    return FakeSMTP


@pytest.fixture
def scene(tree, make_person, make_course, make_target, complete):
    province, _, commune_a, commune_b = tree
    course = make_course("IU01")
    hr_a = make_person(commune_a, "Trịnh Thị Xã", roles=[("hr", commune_a)], email="hr.a@thanhhoa.gov.vn",
                       category="vien_chuc")
    people = [make_person(commune_a, name, email=email) for name, email in
              [("Nguyễn Văn An", "an@thanhhoa.gov.vn"), ("Lê Thị Bình", "binh@thanhhoa.gov.vn"),
               ("Phạm Văn Không Thư", None)]]
    done = make_person(commune_a, "Đỗ Văn Xong", email="xong@thanhhoa.gov.vn")
    make_person(commune_b, "Mai Văn Khác", email="khac@thanhhoa.gov.vn")
    target = make_target([province], [course])
    complete(done, course)
    return target, commune_a, hr_a, people


def test_button_reminds_each_unfinished_person_once_and_sends_hr_a_digest(client, login, smtp, scene):
    target, commune_a, hr_a, _ = scene
    login(hr_a)
    response = client.post_form(f"/hr/targets/{target.id}/units/{commune_a.id}/remind")
    assert response.status_code == 302
    recipients = sorted(m["To"] for m in smtp.sent)
    # hr_a is in the audience and not finished: reminded as a learner too, and gets the digest.
    assert recipients == ["an@thanhhoa.gov.vn", "binh@thanhhoa.gov.vn", "hr.a@thanhhoa.gov.vn", "hr.a@thanhhoa.gov.vn"]
    digest = next(m for m in smtp.sent if "Tổng hợp" in m["Subject"])
    assert "Nguyễn Văn An" in digest.get_content() and "Mai Văn Khác" not in digest.get_content()
    assert smtp.connections == 2  # batches of two
    rows = db.session.scalars(select(TargetReminder)).all()
    assert sorted((r.kind, r.email) for r in rows)[-1] == ("learner", "hr.a@thanhhoa.gov.vn")
    assert len(rows) == 4

    smtp.sent.clear()
    client.post_form(f"/hr/targets/{target.id}/units/{commune_a.id}/remind")
    assert smtp.sent == []  # rate limited: reminded less than REMINDER_MIN_INTERVAL_HOURS ago


def test_remind_command_for_a_scheduler(runner, smtp, scene):
    target, *_ = scene
    result = runner.invoke(args=["lms", "targets", "remind", str(target.id)])
    assert result.exit_code == 0, result.output
    assert len([m for m in smtp.sent if "Nhắc" in m["Subject"]]) == 4  # every unfinished person with e-mail


def test_without_smtp_host_mail_goes_to_the_log(app, client, login, scene, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    target, commune_a, hr_a, _ = scene
    login(hr_a)
    with caplog.at_level("INFO"):
        response = client.post_form(f"/hr/targets/{target.id}/units/{commune_a.id}/remind")
    assert response.status_code == 302
    assert "an@thanhhoa.gov.vn" in caplog.text
