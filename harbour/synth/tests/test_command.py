"""`harbour synth` from the command line: bad arguments give one clear line."""

import os
import subprocess
import sys

import pytest


def run(*args, tmp_path):
    env = {**os.environ, "HARBOUR_DATA_DIR": str(tmp_path)}
    env.pop("HARBOUR_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "harbour", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["--size", "huge"], "invalid choice: 'huge'"),
        (["--years", "0"], "--years must be between 1 and 15"),
        (["--years", "many"], "invalid int value: 'many'"),
        (["--seed", "x"], "invalid int value: 'x'"),
        (["--end", "31/03/2025"], "invalid fromisoformat value"),
        (["--failure-rate", "late_icpc=2"], "must be between 0 and 1"),
        (["--failure-rate", "late_pizza=0.1"], "unknown failure kind 'late_pizza'"),
        (["--truth", "/no/such/folder/truth.json"], "folder /no/such/folder does not exist"),
    ],
)
def test_bad_arguments_give_one_clear_line(args, message, tmp_path):
    result = run("synth", *args, tmp_path=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # generates a county in a process of its own
def test_synth_then_again_refuses_a_full_database(tmp_path):
    assert run("migrate", "-v0", tmp_path=tmp_path).returncode == 0
    truth = tmp_path / "truth.json"
    first = run(
        "synth",
        "--size",
        "small",
        "--years",
        "1",
        "--end",
        "2025-06-30",
        "--truth",
        str(truth),
        tmp_path=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    assert "Synthetic small county" in first.stdout
    assert truth.read_text().startswith("[")
    again = run("synth", "--size", "small", "--years", "1", tmp_path=tmp_path)
    assert again.returncode != 0
    assert again.stderr.strip().splitlines() == [
        "CommandError: the database already holds an authority or children; a synthetic "
        "county needs an empty one (start afresh with `harbour flush --no-input`)"
    ]
