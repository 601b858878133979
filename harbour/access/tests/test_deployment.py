"""The production settings pass Django's deployment checks; pages carry a strict policy."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if k != "HARBOUR_DATABASE_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "harbour.settings_production",
            "HARBOUR_SECRET_KEY": "k" * 20 + "-a-long-random-test-value-that-is-not-used-anywhere",
            "HARBOUR_ALLOWED_HOSTS": "harbour.council.invalid",
            "HARBOUR_AUDIT_KEY": "a" * 20 + "-another-long-random-test-value-for-the-audit-log",
            **extra,
        }
    )
    return env


def test_check_deploy_passes_for_the_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "harbour", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(HARBOUR_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["HARBOUR_SECRET_KEY", "HARBOUR_ALLOWED_HOSTS", "HARBOUR_AUDIT_KEY"]
)
def test_production_refuses_to_start_without_its_secrets(tmp_path, missing):
    env = production_env(HARBOUR_DATA_DIR=str(tmp_path))
    del env[missing]
    result = subprocess.run(
        [sys.executable, "-m", "harbour", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and missing in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_code(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_no_template_has_inline_script_or_style():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        assert "<script>" not in text and " style=" not in text and "<style" not in text, template
