"""The client's address: the peer's, unless the peer is one of the council's trusted proxies;
an X-Forwarded-For from anyone else is ignored."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from harbour.access.client import client_address
from harbour.access.models import AuditEvent, User
from harbour.access.tests.world import PASSWORD


def request(peer, forwarded=None):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.fixture
def proxies(settings):
    settings.HARBOUR_TRUSTED_PROXIES = ["10.0.0.5", "10.1.0.0/16", "fd00::/8"]


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.HARBOUR_TRUSTED_PROXIES = []
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_forwarded_for_header_from_an_untrusted_peer_is_ignored(proxies):
    assert client_address(request("203.0.113.9", "10.0.0.5, 198.51.100.1")) == "203.0.113.9"


def test_a_trusted_proxy_is_believed_about_who_it_forwarded_for(proxies):
    assert client_address(request("10.0.0.5", "198.51.100.1")) == "198.51.100.1"
    assert client_address(request("10.0.0.5")) == "10.0.0.5"  # no header: the proxy itself


def test_the_right_most_address_that_is_not_a_trusted_proxy_is_the_client(proxies):
    # The client wrote the first two entries itself; only what the proxies added counts.
    chain = "1.1.1.1, 198.51.100.1, 10.1.4.4"
    assert client_address(request("10.0.0.5", chain)) == "198.51.100.1"
    assert client_address(request("10.0.0.5", "10.1.0.9, 10.1.4.4")) == "10.1.0.9"
    assert client_address(request("fd00::1", "2001:db8::7")) == "2001:db8::7"
    assert client_address(request("10.0.0.5", "198.51.100.1:5123")) == "198.51.100.1"


def test_garbage_in_the_header_is_not_an_address(proxies):
    assert client_address(request("10.0.0.5", "<script>, 10.1.4.4")) == "10.1.4.4"
    assert client_address(request("10.0.0.5", "not-an-address")) == "10.0.0.5"
    assert client_address(request("")) is None


def test_a_trusted_proxy_that_is_not_an_address_is_a_clear_error(settings):
    settings.HARBOUR_TRUSTED_PROXIES = ["10.0.0.5", "the-proxy"]
    with pytest.raises(ImproperlyConfigured, match="HARBOUR_TRUSTED_PROXIES: 'the-proxy'"):
        client_address(request("10.0.0.5"))


@pytest.mark.django_db
def test_the_audit_log_and_the_lockout_see_the_client_behind_the_proxy(client, proxies, settings):
    settings.AXES_ENABLED = True
    User.objects.create_user(username="target", password=PASSWORD)
    behind = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    for _ in range(5):
        client.post(reverse("login"), {"username": "target", "password": "guess"}, **behind)
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).last()
    assert failed.ip_address == "198.51.100.1"
    locked = client.post(reverse("login"), {"username": "target", "password": PASSWORD}, **behind)
    assert locked.status_code == 429
    # Someone else behind the same proxy is not locked out with them.
    other = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    fine = client.post(reverse("login"), {"username": "target", "password": PASSWORD}, **other)
    assert fine.status_code == 302


def test_harbour_refuses_to_start_with_a_trusted_proxy_that_is_not_an_address():
    env = {**os.environ, "HARBOUR_TRUSTED_PROXIES": "10.0.0.5, proxy.council.invalid"}
    started = subprocess.run(
        [sys.executable, "-c", "import harbour.settings"], env=env, capture_output=True, text=True
    )
    assert started.returncode != 0
    assert "HARBOUR_TRUSTED_PROXIES: 'proxy.council.invalid' is not an IP address" in (
        started.stderr
    )
    env["HARBOUR_TRUSTED_PROXIES"] = "10.0.0.5, 10.1.0.0/16, fd00::/8"
    script = "import harbour.settings as s; print(s.HARBOUR_TRUSTED_PROXIES)"
    fine = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert fine.stdout.strip() == "['10.0.0.5', '10.1.0.0/16', 'fd00::/8']"
