"""Traditional Chinese (zh_Hant) from the simplified catalogue: OpenCC's Hong Kong conversion
(``s2hk``: HKEX issuers publish in traditional Chinese), then the reviewed domain terms below.

``scripts/make-zh-hant`` writes translations/zh_Hant/<area>.po from translations/zh/<area>.po;
tests/unit/test_translations.py fails when a fragment is missing, incomplete or out of date, so
run the script after changing a Chinese fragment.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent / "translations"

#: Reviewed terms: where the generic conversion differs from the wording HKEX filers and Hong
#: Kong / Taiwan procurement departments use. Applied after OpenCC, longest first.
DOMAIN_TERMS: dict[str, str] = {
    # 准入 (admission, "permitted entry") is kept: in traditional Chinese 准 is "permit", as in 市場准入.
    "退出登錄": "登出",          # log out / log in: 登出 / 登入 in Hong Kong and Taiwan interfaces
    "登錄": "登入",
    "户": "戶",                 # 用戶, 帳戶: 戶 is the Hong Kong standard form
    "賬戶": "帳戶",
    "賬號": "帳號",
    "天后": "天後",              # "7 天后失效": after, not the goddess (OpenCC misses it)
    "換髮": "換發",              # a renewed certificate (OpenCC turns 发 into 髮, hair)
    "認證認可信息公共服務平台": "認證認可信息公共服務平台",  # a proper name (CNCA), left as it is
    "企業信用信息公示系統": "企業信用信息公示系統",  # proper names of screening sources, left as they are
    "中國執行信息公開網": "中國執行信息公開網",
    "信息安全": "資訊安全",       # ISO 27001
    "信息": "資料",              # company information, disclosure (HKEX: 資料披露)
    "默認": "預設",              # default
    "文件": "檔案",              # an uploaded or exported file (文件 is a paper document in HK)
    "程序": "程式",              # "the file is a program"
    "上傳": "上載",              # upload (Hong Kong usage)
    "導出": "匯出",              # export
    "導入": "匯入",              # import
    "設置": "設定",              # settings
    "電子郵箱地址": "電郵地址",   # not 電郵地址地址
    "郵箱地址": "電郵地址",
    "電子郵箱": "電郵地址",       # e-mail address
    "郵箱": "電郵",
    "籤署": "簽署",              # 承諾書簽署: OpenCC reads 书签 (bookmark) in 承诺书签署
    "獲準": "獲准",              # approved (獲准供貨); also when a text is converted twice
    # The disclosure's words as Hong Kong filings print them (issue 12, D8; reviewed on the real downloads):
    "重述": "重列",              # a restated figure: 經重列 in Hong Kong annual reports (HKFRS wording)
    "錄入": "輸入",              # a figure entered by hand (錄入 is mainland usage)
    "舍入": "捨入",              # rounding (OpenCC leaves 舍, a house)
    "發布": "發佈",              # published (OpenCC gives 發佈 in most phrases, 發布 in some)
    # Interface words that are mainland usage; s2hk converts characters, not vocabulary (issue 13 audit):
    "保存": "儲存",              # save (a button, "nothing was saved")
    "搜索": "搜尋",              # search
    "創建": "建立",              # create (an account, a draft)
    "菜單": "選單",              # the menu
    "批量": "批次",              # bulk work
    "鏈接": "連結",              # a link
    "點擊": "按",                # click
    "模板": "範本",              # a template (pledge template, column mapping)
    "字段": "欄位",              # a form or file field
    "文本格式": "文字格式",       # a text (CSV) file; 文本 of a pledge (its wording) is kept
    "“文本”格式": "“文字”格式",
    "運行": "執行",              # run (an export, a dry run)
    "服務器": "伺服器",           # a server
    "數據庫": "資料庫",           # the database
    "不支持": "不支援",           # not supported (a file format)
    "刷新": "重新載入",           # reload the page
    "加載": "載入",              # load
    "隊列": "佇列",              # the job queue
    "電子郵件": "電郵",           # e-mail (Hong Kong)
    "郵件": "電郵",
    "調用": "呼叫",              # an API call
    "接口": "介面",              # an interface (API)
    "在線": "網上",              # online (網上簽署)
    "反饋": "回覆",              # a supplier's response to a corrective action
    "哈希": "雜湊",              # a hash
    "賬户": "帳戶",              # s2hk writes 户 for 戶: catch 賬户 before "户" below
    "台賬": "帳目",              # a ledger (purchase spend)
    "併發佈": "並發佈",           # "loaded and published": OpenCC reads 并 as 併 (merge) here
    "併發布": "並發佈",
    "併發送": "並發送",           # "and send"
}


def _converter():
    import opencc

    return opencc.OpenCC("s2hk")


def convert(text: str, converter=None) -> str:
    """Simplified → traditional (Hong Kong), then the reviewed domain terms."""
    converter = converter or _converter()
    result = converter.convert(text)
    # Longest first, each in one pass, so a longer term (a proper name) shields its shorter parts.
    terms = sorted(DOMAIN_TERMS, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(term) for term in terms))
    return pattern.sub(lambda match: DOMAIN_TERMS[match.group(0)], result)


def build_fragment(source: Path, converter=None) -> Catalog:
    """The zh_Hant catalogue of one simplified fragment: same ids, converted strings."""
    converter = converter or _converter()
    with source.open("rb") as handle:
        simplified = read_po(handle, locale="zh")
    catalog = Catalog(locale="zh_Hant", header_comment=f"# Generated from zh/{source.name} by scripts/make-zh-hant;"
                      " do not edit (change DOMAIN_TERMS in supplychain/i18n_hant.py).")
    for message in simplified:
        if not message.id:
            continue
        if isinstance(message.string, tuple | list):
            string = tuple(convert(s, converter) for s in message.string)
        else:
            string = convert(message.string or "", converter)
        catalog.add(message.id, string)
    return catalog


def write_all(root: Path = ROOT) -> list[Path]:
    """(Re)write every zh_Hant fragment from its zh fragment; returns the files written.

    A fragment whose messages did not change keeps its file as it is (its header's creation date included), so
    regenerating changes only the fragments whose simplified text changed."""
    converter = _converter()
    target_dir = root / "zh_Hant"
    target_dir.mkdir(exist_ok=True)
    written = []
    for source in sorted((root / "zh").glob("*.po")):
        target = target_dir / source.name
        fragment = build_fragment(source, converter)
        if not target.exists() or _messages(target.read_bytes()) != _messages(_po_bytes(fragment)):
            target.write_bytes(_po_bytes(fragment))
        written.append(target)
    for stale in set(target_dir.glob("*.po")) - set(written):
        stale.unlink()
    return written


def _po_bytes(catalog: Catalog) -> bytes:
    handle = io.BytesIO()
    write_po(handle, catalog, omit_header=False, sort_output=False, width=0)
    return handle.getvalue()


def _messages(po: bytes) -> bytes:
    """A .po file without its header's dates: what decides whether it changed."""
    return re.sub(rb'^"(POT-Creation-Date|PO-Revision-Date): [^"]*"\n', b"", po, flags=re.MULTILINE)
