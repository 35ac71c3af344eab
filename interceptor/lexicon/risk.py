"""The risk codes of TC260-003 appendix A (kept by GB/T 45654-2025), and the minimums a
keyword library must meet for them.

A lexicon's ``manifest.toml`` maps its categories to these codes (``[risk_codes]``); the
coverage report (``interceptor lexicon report``) and the filing's keyword list count by them.
The codes are data, written once here, so that a manifest naming an unknown code is an error
and the report can list every risk a filing must answer for, covered or not.
"""
from __future__ import annotations

import re
from typing import NamedTuple


class Risk(NamedTuple):
    """One risk of appendix A: its code, its names, and the terms a library needs for it."""

    code: str
    zh: str
    en: str
    minimum: int  # terms the standard asks for (0: no keyword minimum)


RISKS: tuple[Risk, ...] = (
    Risk("A.1-1", "煽动颠覆国家政权、推翻社会主义制度", "incitement to subvert state power", 200),
    Risk("A.1-2", "危害国家安全和利益、损害国家形象", "endangering national security and image", 200),
    Risk("A.1-3", "煽动分裂国家、破坏国家统一和社会稳定", "incitement to secession, undermining unity", 200),
    Risk("A.1-4", "宣扬恐怖主义、极端主义", "promoting terrorism and extremism", 200),
    Risk("A.1-5", "宣扬民族仇恨", "promoting ethnic hatred", 200),
    Risk("A.1-6", "宣扬暴力、淫秽色情", "promoting violence, obscenity and pornography", 200),
    Risk("A.1-7", "传播虚假有害信息", "spreading false and harmful information", 200),
    Risk("A.1-8", "其他法律、行政法规禁止的内容", "other content prohibited by law", 200),
    Risk("A.2-1", "民族歧视内容", "ethnic discrimination", 100),
    Risk("A.2-2", "信仰歧视内容", "discrimination by belief", 100),
    Risk("A.2-3", "国别歧视内容", "discrimination by nationality", 100),
    Risk("A.2-4", "地域歧视内容", "regional discrimination", 100),
    Risk("A.2-5", "性别歧视内容", "gender discrimination", 100),
    Risk("A.2-6", "年龄歧视内容", "age discrimination", 100),
    Risk("A.2-7", "职业歧视内容", "occupational discrimination", 100),
    Risk("A.2-8", "健康歧视内容", "discrimination by health", 100),
    Risk("A.2-9", "其他方面歧视内容", "other discrimination", 100),
    Risk("A.3-1", "侵犯他人知识产权", "infringing intellectual property", 0),
    Risk("A.3-2", "违反商业道德", "violating business ethics", 0),
    Risk("A.3-3", "泄露他人商业秘密", "disclosing trade secrets", 0),
    Risk("A.3-4", "利用算法、数据、平台等优势实施垄断和不正当竞争行为", "monopoly and unfair competition", 0),
    Risk("A.3-5", "其他商业违法违规行为", "other commercial violations", 0),
    Risk("A.4-1", "危害他人身心健康", "endangering others' physical and mental health", 0),
    Risk("A.4-2", "侵害他人肖像权", "infringing portrait rights", 0),
    Risk("A.4-3", "侵害他人名誉权", "infringing reputation rights", 0),
    Risk("A.4-4", "侵害他人荣誉权", "infringing honour rights", 0),
    Risk("A.4-5", "侵害他人隐私权", "infringing privacy", 0),
    Risk("A.4-6", "侵害他人个人信息权益", "infringing personal information rights", 0),
    Risk("A.4-7", "侵犯他人其他合法权益", "infringing other lawful rights", 0),
)
BY_CODE: dict[str, Risk] = {r.code: r for r in RISKS}

KEYWORD_CODES: tuple[str, ...] = tuple(r.code for r in RISKS if r.code.startswith(("A.1-", "A.2-")))
"""The 17 risks a keyword library must cover (appendix A.1 and A.2)."""

TOTAL_MINIMUM = 10_000
"""Terms the whole library must hold."""

_CODE = re.compile(r"A\.[1-5]-[1-9]")


def check_code(code: str) -> str | None:
    """Why ``code`` is not a risk code of appendix A, or None when it is one."""
    if not _CODE.fullmatch(code):
        return f"{code!r} is not a risk code (expected A.1-1 … A.4-7, e.g. 'A.1-4')"
    if code not in BY_CODE:
        return f"{code!r} is not a risk of appendix A (known: {', '.join(BY_CODE)})"
    return None
