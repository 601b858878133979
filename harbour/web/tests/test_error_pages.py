"""Refused, missing and failed pages are Harbour's own GOV.UK pages, never Django's debug
page: 403 says what the person can do instead, 500 renders with nothing to lean on."""

import os
import subprocess
import sys

import pytest
from django.template import loader
from django.test import Client
from django.urls import reverse

from harbour.access.roles import Role
from harbour.access.tests.world import build, sign_in
from harbour.web import views
from harbour.web.tests.browser import PROJECT_DIR

HEADER = 'class="govuk-header"'


@pytest.fixture
def world(db):
    return build()


def signed_in(client, world, role):
    sign_in(client, world.users[role])
    return client


def test_a_missing_page_is_styled_with_the_service_header(client, world):
    signed_in(client, world, Role.SOCIAL_WORKER)
    answer = client.get("/no-such-page/")
    page = answer.content.decode()
    assert answer.status_code == 404
    assert HEADER in page and '<h1 class="govuk-heading-l">Page not found</h1>' in page
    assert 'class="govuk-service-navigation"' in page and 'class="govuk-breadcrumbs"' in page
    assert "Traceback" not in page and "URLconf" not in page


def test_a_missing_page_is_styled_before_signing_in_too(client, db):
    page = client.get("/no-such-page/").content.decode()
    assert HEADER in page and "Page not found" in page
    assert "search for them" not in page


def test_a_child_harbour_does_not_hold_is_the_same_styled_page(client, world):
    signed_in(client, world, Role.SOCIAL_WORKER)
    answer = client.get(reverse("child", args=[world.children["restricted"].reference]))
    assert answer.status_code == 404 and "Page not found" in answer.content.decode()


def test_a_refused_page_says_to_ask_for_access(client, world):
    signed_in(client, world, Role.SOCIAL_WORKER)
    answer = client.get(reverse("returns"))
    page = answer.content.decode()
    assert answer.status_code == 403
    assert HEADER in page
    assert '<h1 class="govuk-heading-l">You do not have access to this page</h1>' in page
    assert "Your role in Harbour is social worker" in page
    assert "ask your manager or your Harbour administrator for access" in page
    assert "open it with a reason" not in page


def test_a_refused_page_for_someone_with_no_role_names_none(client, db):
    from harbour.access.models import User

    client.force_login(User.objects.create_user(username="newcomer"))
    page = client.get(reverse("returns")).content.decode()
    assert "You do not have access to this page" in page and "Your role" not in page


def test_a_refused_page_about_a_child_offers_opening_with_a_reason(client, world):
    """A personal adviser may open another team's child with a reason, not see who viewed it."""
    signed_in(client, world, Role.PERSONAL_ADVISER)
    reference = world.children["ours"].reference
    answer = client.get(reverse("record-viewers", args=[reference]))
    assert answer.status_code == 403
    page = answer.content.decode()
    assert f'href="{reverse("open-with-reason", args=[reference])}">open it with a reason' in page


def test_a_refused_page_about_a_child_in_ones_work_links_to_the_record(client, world):
    signed_in(client, world, Role.SOCIAL_WORKER)
    reference = world.children["ours"].reference
    page = client.get(reverse("record-viewers", args=[reference])).content.decode()
    assert f'href="{reverse("child", args=[reference])}">go to the child’s record' in page


def test_the_inspector_refused_the_reason_page_is_sent_to_the_record(client, world):
    """The inspector reads every record in scope and has no reason route: the way in is the
    record itself, not a reason."""
    signed_in(client, world, Role.INSPECTOR)
    reference = world.children["theirs"].reference
    answer = client.get(reverse("open-with-reason", args=[reference]))
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "go to the child’s record" in page and "open it with a reason" not in page


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "harbour.web.tests.broken_urls"
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_a_failing_page_gives_the_styled_500(failing_site, world):
    sign_in(failing_site, world.users[Role.SOCIAL_WORKER])
    answer = failing_site.get("/broken/")
    page = answer.content.decode()
    assert answer.status_code == 500
    assert HEADER in page and "Sorry, there is a problem with the service" in page
    assert "a fault in a view" not in page and "Traceback" not in page


def test_the_500_page_needs_no_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        answer = views.server_error(None)
    assert answer.status_code == 500 and HEADER in answer.content.decode()


def test_the_500_page_falls_back_to_plain_html_if_its_template_fails(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the templates are broken too")

    monkeypatch.setattr(loader, "render_to_string", fail)
    answer = views.server_error(None)
    assert answer.status_code == 500
    assert "Sorry, there is a problem with the service" in answer.content.decode()


def _settings_value(name: str, **env) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HARBOUR_DEBUG")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    code = f"import harbour.settings as s; print(s.{name})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=environment | env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_debug_is_off_unless_asked_for():
    assert _settings_value("DEBUG") == "False"
    assert _settings_value("DEBUG", HARBOUR_DEBUG="0") == "False"
    assert _settings_value("DEBUG", HARBOUR_DEBUG="1") == "True"


def test_the_demo_keeps_its_codes_and_static_files_with_debug_off():
    assert _settings_value("HARBOUR_DEMO_CODES") == "True"
    assert _settings_value("WHITENOISE_USE_FINDERS") == "True"


def test_the_favicon_is_linked_and_served(client, world):
    signed_in(client, world, Role.SOCIAL_WORKER)
    page = client.get(reverse("home")).content.decode()
    assert '<link rel="icon" href="/static/harbour/mark.svg" type="image/svg+xml">' in page
    icon = client.get("/static/harbour/mark.svg")
    assert icon.status_code == 200 and icon["Content-Type"].startswith("image/svg+xml")
