"""Settings come from the environment; production refuses unsafe configurations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-production-secret-key-that-is-long-and-random-enough-1234567890",
    "DJANGO_ALLOWED_HOSTS": "studysite.example.org",
    "DJANGO_EMAIL_HOST": "smtp.example.org",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key() -> None:
    result = run_manage("check", env={"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_production_settings_pass_check_deploy() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_reports_smtp_without_a_host() -> None:
    """Otherwise a password reset says "sent" and the mail fails in the log."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_EMAIL_HOST"}
    result = run_manage("check", "--deploy", env=env)
    assert "studysite.W001" in result.stderr + result.stdout
    assert "DJANGO_EMAIL_HOST" in result.stderr + result.stdout


def test_unrecognised_boolean_is_a_clear_error() -> None:
    result = run_manage("check", env={"DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_database_url_selects_postgresql() -> None:
    env = {"DATABASE_URL": "postgres://learner:pw@db.internal:5433/studysite"}
    result = run_manage(
        "shell", "-c", "from django.conf import settings as s; print(s.DATABASES['default'])", env=env
    )
    assert result.returncode == 0, result.stderr
    assert "'ENGINE': 'django.db.backends.postgresql'" in result.stdout
    assert "'HOST': 'db.internal'" in result.stdout
    assert "'PORT': 5433" in result.stdout


def test_media_storage_comes_from_the_environment() -> None:
    env = {
        "DJANGO_MEDIA_STORAGE": "storages.backends.s3.S3Storage",
        "DJANGO_MEDIA_STORAGE_OPTIONS": '{"bucket_name": "studysite-plots"}',
    }
    probe = "from django.conf import settings as s; print(s.STORAGES['default'])"
    result = run_manage("shell", "-c", probe, env=env)
    assert result.returncode == 0, result.stderr
    assert "'BACKEND': 'storages.backends.s3.S3Storage'" in result.stdout
    assert "'OPTIONS': {'bucket_name': 'studysite-plots'}" in result.stdout


def test_malformed_storage_options_are_a_clear_error() -> None:
    result = run_manage("check", env={"DJANGO_MEDIA_STORAGE_OPTIONS": "{bucket"})
    assert result.returncode != 0
    assert "DJANGO_MEDIA_STORAGE_OPTIONS must be a JSON object" in result.stderr
