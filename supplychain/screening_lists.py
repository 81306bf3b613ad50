"""The external screening lists and checks (issue 11 part 4; DOMAIN "Identifying risks"): one code table, pure.

Each entry names a public list (or a check) a supplier is screened against, its labels in English and
Chinese, the results a check can have, and which results are a red line at admission:

- a public list is answered "clear" or "listed"; being listed on a red-line list fails the admission red
  line "listed on a red-line screening list" (the national list of seriously dishonest enterprises, dishonest
  judgment debtors, wage-arrears and safety-production dishonesty, sanctions lists);
- the abnormal-operations list (经营异常名录, mostly a late annual report) is shown, but is not a red line;
- the environmental credit rating is answered by its colour; red and black fail the red line;
- the principal's bribery conviction (中国裁判文书网) keeps its own red line;
- a refusal to sign the integrity pledge is recorded at screening, as before, and feeds the pledge red line
  until the supplier signs one.
"""

from __future__ import annotations

from dataclasses import dataclass

CLEAR = "clear"
LISTED = "listed"
LISTED_RESULTS = (CLEAR, LISTED)
RATINGS = ("green", "blue", "yellow", "red", "black")


@dataclass(frozen=True)
class ScreeningList:
    """One list or check: code, labels, the results it takes, those that are red lines, the usual source."""

    code: str
    label_en: str
    label_zh: str
    results: tuple[str, ...] = LISTED_RESULTS
    red_results: tuple[str, ...] = (LISTED,)
    source: str = ""
    # "list": a red-line list read by the dishonest-list red line; "bribery" and "pledge" feed their own.
    feeds: str = "list"
    source_en: str = ""  # the usual source's name in English (`source` is the Chinese one)

    @property
    def labels(self) -> tuple[str, str]:
        """(English, Chinese)."""
        return self.label_en, self.label_zh


LISTS: tuple[ScreeningList, ...] = (
    ScreeningList("serious_dishonesty", "National list of seriously illegal and dishonest enterprises",
                  "严重违法失信名单", source="国家企业信用信息公示系统 / 信用中国",
                  source_en="National Enterprise Credit Information Publicity System / Credit China"),
    ScreeningList("abnormal_operations", "List of enterprises with abnormal operations", "经营异常名录",
                  red_results=(), source="国家企业信用信息公示系统",
                  source_en="National Enterprise Credit Information Publicity System"),
    ScreeningList("judgment_debtor", "Dishonest judgment debtors", "失信被执行人",
                  source="中国执行信息公开网", source_en="China Execution Information Disclosure Network"),
    ScreeningList("wage_arrears", "Wage-arrears dishonesty list", "拖欠农民工工资失信联合惩戒对象名单",
                  source="信用中国", source_en="Credit China"),
    ScreeningList("safety_dishonesty", "Safety-production dishonesty list", "安全生产严重失信主体名单",
                  source="应急管理部 / 信用中国",
                  source_en="Ministry of Emergency Management / Credit China"),
    ScreeningList("environmental_rating", "Environmental credit rating", "环保信用评价", results=RATINGS,
                  red_results=("red", "black"), source="生态环境厅（局）",
                  source_en="Provincial department (municipal bureau) of ecology and environment"),
    ScreeningList("sanctions", "Sanctions lists (overseas suppliers)", "制裁名单（境外供应商）",
                  source="UN / OFAC / EU / 商务部不可靠实体清单",
                  source_en="UN / OFAC / EU / MOFCOM Unreliable Entity List"),
    ScreeningList("principal_bribery", "Bribery conviction of the principal", "负责人行贿犯罪记录",
                  source="中国裁判文书网", feeds="bribery",
                  source_en="China Judgements Online"),
    ScreeningList("pledge_refusal", "Refused to sign the integrity pledge", "拒签廉洁承诺书", feeds="pledge"),
)
BY_CODE: dict[str, ScreeningList] = {entry.code: entry for entry in LISTS}
CODES = tuple(BY_CODE)
# Checked within the last 12 months before an admission evaluation may be submitted (DOMAIN "Admission review").
ADMISSION_CHECKS = ("serious_dishonesty", "principal_bribery")
RESULT_LABELS: dict[str, tuple[str, str]] = {
    CLEAR: ("clear", "未列入"),
    LISTED: ("listed", "已列入"),
    "green": ("green (trustworthy)", "绿牌（环保诚信）"),
    "blue": ("blue (good)", "蓝牌（环保良好）"),
    "yellow": ("yellow (warning)", "黄牌（环保警示）"),
    "red": ("red (poor)", "红牌（环保不良）"),
    "black": ("black (seriously dishonest)", "黑牌（环保严重失信）"),
}
PLEDGE_RESULT_LABELS: dict[str, tuple[str, str]] = {CLEAR: ("signed or not refused", "未拒签"),
                                                     LISTED: ("refused", "拒签")}


def find(text: str) -> ScreeningList | None:
    """The list named by its code or its English or Chinese label (case and spaces ignored), or None."""
    key = _fold(text)
    if not key:
        return None
    for entry in LISTS:
        if key in (_fold(entry.code), _fold(entry.label_en), _fold(entry.label_zh)):
            return entry
    return None


def parse_result(entry: ScreeningList, text: str) -> str | None:
    """A result written as its code or its English or Chinese label (also 是/否, yes/no), or None."""
    key = _fold(text)
    aliases = {"yes": LISTED, "是": LISTED, "y": LISTED, "true": LISTED, "1": LISTED, "拒签": LISTED,
               "no": CLEAR, "否": CLEAR, "n": CLEAR, "false": CLEAR, "0": CLEAR, "无": CLEAR,
               "绿": "green", "蓝": "blue", "黄": "yellow", "红": "red", "黑": "black"}
    found = aliases.get(key)
    if found is None:
        for result in entry.results:
            en, zh = result_labels(entry, result)
            if key in (_fold(result), _fold(en), _fold(zh)):
                found = result
                break
    return found if found in entry.results else None


def result_labels(entry: ScreeningList, result: str) -> tuple[str, str]:
    """(English, Chinese) of a result of this list."""
    table = PLEDGE_RESULT_LABELS if entry.feeds == "pledge" else RESULT_LABELS
    return table.get(result, (result, result))


def is_red(code: str, result: str) -> bool:
    """Whether this result on this list fails a red line at admission."""
    entry = BY_CODE.get(code)
    return entry is not None and result in entry.red_results


def _fold(text: str) -> str:
    return "".join((text or "").split()).casefold()
