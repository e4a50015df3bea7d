"""Restore questions on the command line and in the demo: the same answers as in Slack,
and every mistake one line and a hint (exit 2), never a traceback."""

from __future__ import annotations

import pytest

from tests.test_cli import run_cli


def test_query_answers_a_restore_question_from_the_simulator() -> None:
    result = run_cli(
        "query",
        "--simulator",
        "--tz",
        "Asia/Shanghai",
        "restore orders-prod 03:15 table shop.orders",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "orders-prod can be restored to " in out
    assert "(Asia/Shanghai) = " in out
    assert "Table shop.orders existed at that point, and still exists now." in out
    assert '"restore_time": ' in out


def test_demo_shows_a_restore_question() -> None:
    result = run_cli("demo", "--once", "restore payments-prod")
    assert result.returncode == 0, result.stderr
    assert "payments-prod: restorable over the last 90 days" in result.stdout
    assert "gap: nothing restorable from" in result.stdout


@pytest.mark.parametrize(
    ("words", "said"),
    [
        ("restore ordrs-prod 03:15", "no instance named ordrs-prod"),
        ("restore orders-prod 2999-01-01 03:15", "is in the future"),
        ("restore orders-prod 3:75", "'3:75' is not a time to restore to"),
        ("restore orders-prod 03:15 table shop.o*", "'shop.o*' is not a table name"),
    ],
)
def test_a_bad_restore_question_is_one_line_and_a_hint(words: str, said: str) -> None:
    result = run_cli("query", "--simulator", words)
    assert result.returncode == 2, result.stdout
    assert said in result.stderr.splitlines()[0]
    assert len(result.stderr.splitlines()) == 2, result.stderr
    assert "Traceback" not in result.stderr


def test_query_answers_a_restore_question_in_chinese_with_lang() -> None:
    """--lang zh-CN: the verdict and the table in Chinese; moments as a question takes them."""
    result = run_cli(
        "query", "--lang", "zh-CN", "--simulator", "--tz", "Asia/Shanghai",
        "restore orders-prod 03:15 table shop.orders",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "orders-prod 可以恢复到 " in out
    assert "（Asia/Shanghai）= UTC " in out
    assert "表 shop.orders 在该时间点存在，现在仍然存在。" in out
    assert '"restore_time": ' in out
    assert "can be restored" not in out


def test_a_bad_restore_question_is_one_chinese_line_and_a_hint_with_lang() -> None:
    result = run_cli("query", "--lang", "zh-CN", "--simulator", "restore orders-prod 3:75")
    assert result.returncode == 2, result.stdout
    assert "'3:75' 不是可以恢复到的时间" in result.stderr.splitlines()[0]
    assert "Traceback" not in result.stderr
