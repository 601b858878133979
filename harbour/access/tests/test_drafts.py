"""Work kept when a session runs out: only for the person who was signed in, only after the CSRF
check, within a size limit, and given back to that person alone, once."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from harbour.access import drafts
from harbour.access.models import AuditEvent, Draft
from harbour.access.roles import Role
from harbour.access.tests.world import PASSWORD, build, sign_in

pytestmark = pytest.mark.django_db

REASON = "Covering for a colleague: the hospital rang about an injury."


@pytest.fixture
def world():
    return build()


@pytest.fixture
def browser():
    """A browser that sends CSRF tokens only when its pages gave it one, as a real one does."""
    return Client(enforce_csrf_checks=True)


def token(client) -> str:
    if "csrftoken" not in client.cookies:
        client.get(reverse("login"))
    return client.cookies["csrftoken"].value


def open_form(client, world) -> str:
    url = reverse("open-with-reason", args=[world.children["theirs"].reference])
    client.get(url)
    return url


def nothing_written():
    return Session.objects.count() == 0 and Draft.objects.count() == 0


def test_a_post_without_a_csrf_token_is_refused_and_writes_nothing(browser, world):
    url = reverse("open-with-reason", args=[world.children["theirs"].reference])
    for body in ({"reason": REASON}, {"reason": "x" * 1_500_000}):
        response = browser.post(url, body)
        assert response.status_code == 403
    assert nothing_written()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DRAFT_KEPT).exists()


def test_a_post_from_someone_never_signed_in_here_keeps_nothing(browser, world):
    url = reverse("open-with-reason", args=[world.children["theirs"].reference])
    response = browser.post(url, {"reason": REASON, "csrfmiddlewaretoken": token(browser)})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "draft" not in response.url
    assert nothing_written()


def test_a_forged_owner_cookie_keeps_nothing(browser, world):
    url = reverse("open-with-reason", args=[world.children["theirs"].reference])
    user = world.users[Role.SOCIAL_WORKER]
    browser.cookies[drafts.OWNER_COOKIE] = f"{user.pk}:forged:signature"
    response = browser.post(url, {"reason": REASON, "csrfmiddlewaretoken": token(browser)})
    assert response.status_code == 302 and "draft" not in response.url
    assert nothing_written()


def test_the_owner_cookie_is_signed_httponly_and_lax_and_goes_at_sign_out(browser, world):
    sign_in(browser, world.users[Role.SOCIAL_WORKER])
    response = browser.get(reverse("home"))
    cookie = response.cookies[drafts.OWNER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == drafts.OWNER_LIFETIME
    assert cookie.value.split(":")[0] == str(world.users[Role.SOCIAL_WORKER].pk)
    assert browser.get(reverse("home")).cookies.get(drafts.OWNER_COOKIE) is None  # set once
    out = browser.post(reverse("logout"), {"csrfmiddlewaretoken": token(browser)})
    assert out.cookies[drafts.OWNER_COOKIE].value == ""  # deleted
    assert out.cookies[drafts.OWNER_COOKIE]["max-age"] == 0


def test_a_form_sent_after_the_session_ran_out_is_kept_on_the_server_for_its_author(browser, world):
    user = world.users[Role.SOCIAL_WORKER]
    sign_in(browser, user)
    url = open_form(browser, world)
    Session.objects.all().delete()  # the session runs out while the worker types
    response = browser.post(url, {"reason": REASON, "csrfmiddlewaretoken": token(browser)})
    assert response.url.startswith(reverse("login")) and "draft=1" in response.url
    assert Session.objects.count() == 0  # nothing in an anonymous session
    draft = Draft.objects.get()
    assert (draft.user, draft.path, draft.fields) == (user, url, {"reason": [REASON]})
    kept = AuditEvent.objects.get(action=AuditEvent.Action.DRAFT_KEPT)
    assert kept.username == user.username and kept.detail["fields"] == ["reason"]
    assert REASON not in str(kept.detail)  # the log names the fields, not what was typed
    page = browser.get(response.url).content.decode()
    assert "What you had typed has been kept" in page

    browser.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token(browser)},
    )
    page = browser.get(url).content.decode()
    assert REASON in page and "what you had typed has been kept" in page
    assert not Draft.objects.exists()  # given back once
    assert REASON not in browser.get(url).content.decode()


def test_a_draft_kept_for_one_person_never_reaches_another(browser, world):
    author, other = world.users[Role.SOCIAL_WORKER], world.users[Role.SENIOR_PRACTITIONER]
    sign_in(browser, author)
    url = open_form(browser, world)
    Session.objects.all().delete()
    browser.post(url, {"reason": REASON, "csrfmiddlewaretoken": token(browser)})
    assert Draft.objects.filter(user=author).count() == 1

    browser.post(
        reverse("login"),
        {"username": other.username, "password": PASSWORD, "csrfmiddlewaretoken": token(browser)},
    )
    page = browser.get(url)
    assert page.status_code == 200 and REASON not in page.content.decode()
    assert Draft.objects.filter(user=author).count() == 1  # still the author's, untouched


def test_a_form_over_the_size_limit_is_not_kept_and_the_sign_in_page_says_so(browser, world):
    sign_in(browser, world.users[Role.SOCIAL_WORKER])
    url = open_form(browser, world)
    Session.objects.all().delete()
    too_much = "x" * (drafts.FIELDS_LIMIT + 1)
    response = browser.post(url, {"reason": too_much, "csrfmiddlewaretoken": token(browser)})
    assert "draft=0" in response.url
    assert nothing_written()
    assert "could not be kept" in browser.get(response.url).content.decode()


def test_a_new_draft_of_a_form_replaces_the_old_and_a_person_keeps_only_so_many(world):
    user = world.users[Role.SOCIAL_WORKER]
    drafts.keep_draft(user=user, path="/refer/", fields={"a": ["first"]})
    drafts.keep_draft(user=user, path="/refer/", fields={"a": ["second"]})
    assert list(Draft.objects.values_list("fields", flat=True)) == [{"a": ["second"]}]
    for n in range(drafts.DRAFTS_A_PERSON + 5):
        drafts.keep_draft(user=user, path=f"/form/{n}/", fields={"a": [str(n)]})
    kept = set(Draft.objects.filter(user=user).values_list("path", flat=True))
    assert len(kept) == drafts.DRAFTS_A_PERSON
    assert f"/form/{drafts.DRAFTS_A_PERSON + 4}/" in kept and "/refer/" not in kept
    with pytest.raises(drafts.DraftNotKept):
        drafts.keep_draft(user=user, path="/x/", fields={"a": ["y" * drafts.FIELDS_LIMIT]})
