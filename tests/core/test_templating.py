"""What every page's frame shows: the menu of the user's roles, and links that follow the app's mount point."""

import re


def _menu(page: str) -> list[tuple[str, bool]]:
    nav = re.search(r'<nav class="menu".*?</nav>', page, re.S).group(0)
    return [(href, bool(current)) for href, current in re.findall(r'<a href="([^"]+)"( aria-current="page")?>', nav)]


def test_the_menu_shows_the_roles_pages_and_marks_the_current_one(client, login, province, make_person):
    login(make_person(province, roles=[("hr", province)]))
    on_dashboard = _menu(client.get("/learn").get_data(as_text=True))
    assert ("/learn", True) in on_dashboard and ("/courses", False) in on_dashboard
    assert ("/hr/targets", False) in on_dashboard and not any(href.startswith("/admin") for href, _ in on_dashboard)
    on_catalogue = _menu(client.get("/courses").get_data(as_text=True))
    assert ("/learn", False) in on_catalogue and ("/courses", True) in on_catalogue


def test_links_follow_the_script_root_the_app_is_mounted_under(client, login, province, make_person):
    login(make_person(province))
    mounted = client.get("/learn", base_url="http://localhost/lms").get_data(as_text=True)
    assert ("/lms/courses", False) in _menu(mounted) and 'href="/lms/static/css/app.css' in mounted
    at_root = client.get("/learn").get_data(as_text=True)
    assert ("/courses", False) in _menu(at_root) and 'href="/static/css/app.css' in at_root
    assert "/lms/" not in at_root
