"""Keys per record: every key that is not text, from the login screen to 提交, in a real terminal.

The app runs as `tuihuo` with nothing configured (the sandbox gateway and card, SQLite in a
throw-away data dir) in tmux at 80x24 (tests/tmux.py). One fixed record is entered twice, as an
operator does it with this version's keys, and each key that is not text is counted (Enter, Space,
arrows, F-keys; typed text, digits ticking a check group included, is text):

    keys_new_producer N keys     the first record of the day, from the login screen (the PIN's
                                 Enter counts): the producer typed field by field
    keys_known_producer N keys   the next record in the same session, from F3 (新增): the same
                                 client (收货人) and producer, so the book (常用企业) knows them

The record: a sandbox import declaration with 3 goods rows (a weight typed for each), 拟处理方式
内销+其他 with its text, 退货原因 质量原因 with two 具体退运原因 and the 具体说明 it requires. Each
run ends at "提交成功", which customs' rules only allow when every field landed where it belongs.
Targets (issue 13): ≤ 25 and ≤ 15.

    flock /tmp/pcsc.lock env PYTHONPATH=$PWD .venv/bin/python bench/keys.py
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sandbox.card import SANDBOX_PIN  # noqa: E402
from sandbox.gateway.data import generate_declarations  # noqa: E402
from store.ids import uscc_check_char  # noqa: E402
from tests.tmux import Terminal  # noqa: E402

PRODUCER = [  # typed field by field the first time: USCC, code, name, contact, phone, 区划, 机构
    "91320500MA1MXXXX0" + uscc_check_char("91320500MA1MXXXX0"),
    "3205960001",
    "苏州原生产制造有限公司",
    "钱七",
    "0512-66881234",
    "320505",
    "2201",
]


class Keys:
    """The terminal, counting every key sent that is not text."""

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self.count = 0

    def key(self, *names: str) -> None:
        self.count += len(names)
        self.terminal.keys(*names)

    def text(self, text: str) -> None:
        self.terminal.type(text)

    def wait(self, text: str, timeout: float = 30.0) -> str:
        return self.terminal.wait(text, timeout)


def two_declarations() -> tuple[str, str]:
    """Two import declarations of 3 goods rows for one consignee (a client returning goods again)."""
    by_consignee: dict[str, list[str]] = defaultdict(list)
    for number, declaration in sorted(generate_declarations().items()):
        if len(declaration.goods) == 3:
            by_consignee[declaration.consignee.uscc].append(number)
    numbers = max(by_consignee.values(), key=len)
    return numbers[0], numbers[1]


def log_in(keys: Keys) -> None:
    keys.wait("持卡人")
    keys.text(SANDBOX_PIN)
    keys.key("Enter")
    keys.wait("进口报关单号：按回车获取数据")


def enter_record(keys: Keys, number: str, *, known: bool) -> None:
    """Enter the fixed record from an empty form to 提交, as this version lets an operator."""
    keys.text(number)
    keys.key("Enter")
    # the answer, with no key pressed since, moves the cursor past 收货人所在地 (backfilled) to
    # 收货联系人, or for a known client past its contact (from the book) to 退货日期
    keys.wait("已获取进口报关单数据")
    if not known:
        keys.text("赵六")
        keys.key("Enter")
        keys.text("13812345678")
        keys.key("Enter")
    keys.key("Enter")  # 退货日期 (optional), left empty: on past the backfilled 关区
    keys.text("15")  # 拟处理方式: 1 内销, 5 其他
    keys.key("Enter")
    keys.text("退回后部分改作样品")
    keys.key("Enter")
    for weight in ("12.5", "8", "3.25"):  # 是否属于工业品 keeps its default
        keys.text(weight)
        keys.key("Enter")
    keys.text("220120240000001234/220120240000001235")
    keys.key("Enter")
    producer = PRODUCER[:1] if known else PRODUCER
    for value in producer:
        keys.text(value)
        keys.key("Enter")
    keys.text("N")  # 出口是否法检
    keys.key("Enter")
    keys.text("1")  # 一般贸易
    keys.key("Enter")
    keys.text("1")  # 质量原因
    keys.key("Enter")
    keys.text("12")  # 健康、安全… and 不符合标准、合同等
    keys.key("Enter")
    keys.text("外壳开裂，客户要求退回")  # 具体说明: required with 质量原因
    keys.key("F6")
    keys.wait("提交成功", timeout=60)


def main() -> None:
    first, second = two_declarations()
    with tempfile.TemporaryDirectory(prefix="tuihuo-keys-") as home:
        terminal = Terminal(Path(home)).start()
        try:
            keys = Keys(terminal)
            log_in(keys)
            enter_record(keys, first, known=False)
            print(f"keys_new_producer {keys.count} keys", flush=True)
            keys.count = 0
            keys.key("F3")  # 新增: the submitted record leaves the form
            keys.wait("已清空，请录入新的出口退货信息")
            enter_record(keys, second, known=True)
            print(f"keys_known_producer {keys.count} keys", flush=True)
        finally:
            terminal.close()


if __name__ == "__main__":
    main()
