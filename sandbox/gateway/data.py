"""The sandbox's import declarations: a deterministic set generated from a fixed seed.

Every number is a valid 18-digit declaration number (customs district + year + direction 1 + sequence),
every USCC carries its GB 32100 check character (and its organisation code the GB 11714 one), every
customs code has the 10-character shape, and the goods rows carry 10-digit HS codes. The code lists
below are a small set of real codes kept here on purpose, so the sandbox does not depend on the
project's parameter tables: customs districts 0101 机场货管, 0102 京监管处, 2201 浦江海关,
2244 上海快件, 5301 皇岗海关, 5316 大鹏海关, 4201 青岛大港; ISO 3166 alpha-3 countries; ISO 4217
currencies; units 001 台, 007 个, 011 件, 035 千克; trade modes 0110 一般贸易, 4561 退运货物.
Names, addresses, people and bills of lading are invented.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from customs.wire import DeclarationGoods, ImportDeclaration, Party
from store.ids import USCC_ALPHABET, uscc_check_char

DEFAULT_SEED = 20250601
DEFAULT_COUNT = 300

DISTRICTS = ("0101", "0102", "2201", "2244", "5301", "5316", "4201")
COUNTRIES = ("USA", "JPN", "DEU", "KOR", "GBR", "FRA")
CURRENCY_OF = {"USA": "USD", "JPN": "JPY", "DEU": "EUR", "KOR": "USD", "GBR": "USD", "FRA": "EUR"}
TRADE_MODES = ("0110", "4561")

# (GB/T 2260 division, city, customs districts serving it)
CITIES = (
    ("110105", "北京市朝阳区", ("0101", "0102")),
    ("310115", "上海市浦东新区", ("2201", "2244")),
    ("440304", "深圳市福田区", ("5301", "5316")),
    ("370202", "青岛市市南区", ("4201",)),
)

# (HS code, goods name, unit of the deal, regulatory category name, unit price range in USD)
GOODS = (
    ("8471302000", "平板电脑", "001", "法定检验", (80, 600)),
    ("8517130000", "智能手机", "001", "法定检验", (60, 900)),
    ("8528721100", "彩色液晶电视机", "001", "法定检验", (120, 1500)),
    ("8415102100", "分体式空气调节器", "001", "法定检验", (150, 800)),
    ("8450111000", "全自动波轮式洗衣机", "001", "法定检验", (90, 400)),
    ("8516500000", "微波炉", "001", "法定检验", (30, 150)),
    ("8504401400", "电源适配器", "007", "法定检验", (2, 20)),
    ("9405420000", "LED灯具", "007", "非法定检验", (3, 60)),
    ("8708299000", "汽车车身零件", "007", "非法定检验", (5, 300)),
    ("4011100000", "小客车用新的充气橡胶轮胎", "007", "法定检验", (20, 120)),
    ("6110200090", "棉制针织套头衫", "011", "非法定检验", (3, 30)),
    ("6302100000", "针织床上用织物制品", "011", "非法定检验", (4, 40)),
    ("9403609900", "木制家具", "011", "非法定检验", (40, 600)),
    ("3926909090", "塑料制品", "035", "非法定检验", (1, 8)),
    ("7318159090", "钢铁制螺栓", "035", "非法定检验", (1, 6)),
)

_NAME_WORDS = (
    "华东",
    "恒通",
    "瑞丰",
    "远洋",
    "海信达",
    "中联",
    "金桥",
    "新亚",
    "嘉禾",
    "宏图",
    "启明",
    "东方",
)
_TRADES = ("电子", "家电", "纺织", "机械", "汽车配件", "家具", "照明")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "强", "洋", "艳", "勇", "军", "杰", "婷", "超", "明")
_STREETS = ("建国路", "世纪大道", "深南大道", "香港中路", "东三环中路", "张杨路", "福华路")
_CARRIERS = ("COSU", "MAEU", "EGLV", "ONEY", "CMDU")

# The manual's own examples of import declaration numbers, so its screenshots can be replayed.
MANUAL_NUMBERS = (
    "010120251000000892",
    "010120251000000888",
    "010120251000000889",
    "010120251000000856",
    "010120251000000882",
)


def organisation_code(rng: random.Random) -> str:
    """A 9-character organisation code with its GB 11714 check character."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(rng: random.Random, division: str) -> str:
    """A USCC of an enterprise (authority 9, type 1) registered in `division`."""
    first17 = "91" + division + organisation_code(rng)
    assert all(c in USCC_ALPHABET for c in first17)
    return first17 + uscc_check_char(first17)


def _enterprises(rng: random.Random, kind_digit: str, count: int) -> list[tuple[Party, str, str]]:
    """(party, address, division) for `count` invented enterprises of one customs type digit."""
    result = []
    for i in range(count):
        division, city, _ = CITIES[i % len(CITIES)]
        name = f"{city[:2]}{rng.choice(_NAME_WORDS)}{rng.choice(_TRADES)}"
        name += "报关有限公司" if kind_digit == "8" else "进出口有限公司"
        code = division[:4] + rng.choice("0123") + kind_digit + f"{rng.randrange(10000):04d}"
        address = f"{city}{rng.choice(_STREETS)}{rng.randrange(1, 999)}号"
        result.append(
            (Party(uscc=make_uscc(rng, division), code=code, name=name), address, division)
        )
    return result


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _bill_of_lading(rng: random.Random) -> str:
    return rng.choice(_CARRIERS) + "".join(rng.choice("0123456789") for _ in range(10))


def _goods(rng: random.Random, currency: str) -> list[DeclarationGoods]:
    rows = []
    for seq in range(1, rng.randint(1, 8) + 1):
        hs_code, name, unit, category, (low, high) = rng.choice(GOODS)
        quantity = Decimal(rng.randint(1, 500)) if unit != "035" else Decimal(rng.randint(10, 9999))
        price = Decimal(rng.randint(low * 100, high * 100)) / 100
        if currency == "JPY":
            price = (price * 150).quantize(Decimal("1"))
        elif currency == "CNY":
            price = (price * 7).quantize(Decimal("0.01"))
        amount = (price * quantity).quantize(Decimal("0.01"))
        rows.append(
            DeclarationGoods(
                seq=seq,
                hs_code=hs_code,
                reg_category=category,
                goods_name=name,
                amount=str(amount),
                currency=currency,
                quantity=str(quantity),
                unit=unit,
            )
        )
    return rows


def generate_declarations(
    seed: int = DEFAULT_SEED, count: int = DEFAULT_COUNT
) -> dict[str, ImportDeclaration]:
    """`count` import declarations by number; the same seed always gives the same set."""
    rng = random.Random(seed)
    brokers = _enterprises(rng, "8", 8)
    traders = _enterprises(rng, "5", 24)
    result: dict[str, ImportDeclaration] = {}
    sequence = rng.randrange(1000, 5000)
    while len(result) < count:
        index = len(result)
        if index < len(MANUAL_NUMBERS):
            number = MANUAL_NUMBERS[index]
        else:
            sequence += rng.randint(1, 40)
            year = rng.choice((2024, 2025, 2025, 2026))
            number = f"{rng.choice(DISTRICTS)}{year}1{sequence:09d}"
        year = int(number[4:8])
        declared_on = date(year, 1, 1) + timedelta(days=rng.randrange(300))
        arrived_on = declared_on - timedelta(days=rng.randrange(0, 15))
        broker, _, _ = rng.choice(brokers)
        consignee, address, division = rng.choice(traders)
        districts = next(c[2] for c in CITIES if c[0] == division)
        consumer = consignee if rng.random() < 0.7 else rng.choice(traders)[0]
        country = rng.choice(COUNTRIES)
        currency = CURRENCY_OF[country] if rng.random() < 0.85 else "CNY"
        result[number] = ImportDeclaration(
            number=number,
            declarant=broker,
            declarant_person=_person(rng),
            consignee=consignee,
            consignee_address=address,
            consumer_district=rng.choice(districts),
            consumer=consumer,
            declared_on=declared_on,
            arrived_on=arrived_on,
            departure_country=country,
            accepting_customs=number[:4],
            trade_mode=rng.choice(TRADE_MODES),
            bill_of_lading=_bill_of_lading(rng),
            destination_customs=rng.choice(districts),
            goods=_goods(rng, currency),
        )
    return result


def sample_numbers(n: int = 5, seed: int = DEFAULT_SEED) -> list[str]:
    """A few import declaration numbers the sandbox knows (for the README and for trying it out)."""
    return list(generate_declarations(seed))[:n]
