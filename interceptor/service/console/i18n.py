"""The console's words in English and Chinese, and which one a request gets.

The language is, in order: ``?lang=`` (the switch in the header, which also sets a
cookie), the cookie, the best of ``Accept-Language`` (``zh-*`` is Chinese, anything else
English). Both catalogs have the same keys (a test holds it).
"""
from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request

LANGUAGES = ("en", "zh")
COOKIE = "interceptor_console_lang"

EN: dict[str, str] = {
    "nav": "Sections", "nav_overview": "Overview", "nav_queue": "Review queue", "nav_logs": "Audit log",
    "nav_holds": "Legal holds", "nav_lexicon": "Lexicon",
    "scope_reviewer": "reviewer", "scope_auditor": "auditor", "scope_admin": "admin",
    "sign_in": "Sign in", "sign_out": "Sign out", "token": "Access token",
    "your_name": "Your name (recorded with decisions)",
    "sign_in_help": "Use the reviewer, auditor or admin token this service was started with.",
    "signin_bad_token": "That token is not a reviewer, auditor or admin token of this service.",
    "signin_too_many": "Too many failed sign-ins. Try again in {wait} seconds.",
    "signin_csrf": "The sign-in form expired or cookies are blocked. Please try again.",
    "back_home": "Back to the console",
    "queue_title": "Review queue", "pending": "pending", "by_category": "By category", "by_age": "By age",
    "age": "Age", "age_hour": "under an hour", "age_day": "under a day", "age_week": "under a week",
    "age_older": "a week or more",
    "keys_help": "Keys: j / k next / previous item, c confirm, d dismiss, n write a note, Esc leave the note.",
    "queue_empty": "Nothing to review.", "created": "queued", "conversation": "Conversation",
    "original": "Original text", "masked": "Masked text", "context": "Conversation context ({n} other logged turns)",
    "note": "Note", "confirm": "Confirm", "dismiss": "Dismiss", "next_page": "Next page",
    "conflict": "Item {id} was already decided elsewhere ({was}); your decision was not recorded.",
    "decided": "Item {id} decided.",
    "matched": "Matched", "term": "Term", "category": "Category", "tier": "Tier", "variant": "Variant",
    "no_hits": "No hits.", "count": "Count", "none": "none", "hits": "Hits",
    "logs_title": "Audit log", "kind": "Kind", "action": "Action", "direction": "Direction", "any": "any",
    "since": "Since", "until": "Until", "filter": "Filter", "export": "Export (NDJSON)",
    "verify_chain": "Check the hash chain", "times_utc": "Times are UTC.", "time": "Time", "text": "Text",
    "scanned": "{n} records read for this page; go on with the next page", "no_records": "No records.",
    "chain_ok": "The chain is intact: {checked} records checked, {purged} purged by retention.",
    "chain_bad": "The chain is broken at record {seq}.", "checked": "Records checked",
    "purged": "Purged by retention", "first_bad": "First bad record", "problem": "Problem",
    "record": "Record", "seq": "Sequence", "hash": "Hash", "prev_hash": "Previous hash",
    "field_conversation_id": "Conversation", "field_user_id": "User", "field_service_id": "Service",
    "field_request_id": "Request", "field_lexicon_version": "Lexicon version",
    "whole_conversation": "the whole conversation", "warning": "Warning shown", "chat": "Complete chat",
    "this_text": "The blocked text", "no_chat": "No earlier messages were sent with this text.",
    "details": "Details",
    "holds_title": "Legal holds", "holds_help": "Records of a conversation under hold are never purged.",
    "hold_reason": "Reason", "held_by": "Placed by", "place_hold": "Place a hold", "release_hold": "Release",
    "held_now": "This conversation is under legal hold.", "no_holds": "No conversation is under hold.",
    "hold_held": "The hold is in place.", "hold_released": "The hold was released.",
    "lexicon_title": "Lexicon", "name": "Name", "version": "Version", "loaded_at": "Loaded",
    "source": "Source", "source_files": "files", "source_database": "database", "matcher": "Matcher",
    "terms": "Terms", "allowed_phrases": "Allowed phrases", "rules": "Rules",
    "reloads": "Reloads", "reload_now": "Reload now", "result": "Result", "problems": "Problems",
    "reload_ok": "Reloaded: {version} now serves.", "reload_same": "Reloaded: {version} unchanged.",
    "reload_bad": "The lexicon was rejected; {version} keeps serving.",
    "reload_result_changed": "swapped in", "reload_result_unchanged": "unchanged",
    "reload_result_rejected": "rejected", "no_reloads": "No reload since the service started.",
    "more_problems": "and {n} more",
    "playground": "Playground",
    "playground_help": "Paste a text to see what the serving lexicon does with it — as `interceptor scan` shows. "
                       "Nothing is logged.",
    "check": "Check", "shown_as": "Shown to the user as", "as_scan": "As interceptor scan prints it",
    "text_too_long": "The text has {n} characters; the limit is {most}.",
    "overview_title": "Overview", "running_since": "Running since", "audit_queue": "Audit records waiting",
    "audit_store": "Audit store", "store_ok": "writing", "store_down": "unavailable",
    "last_hour": "Last hour", "last_day": "Last day", "since_start": "since the start, {at} UTC",
    "requests": "requests", "latency": "Check latency", "by_action": "By action",
    "top_categories": "Top categories (hits)", "top_terms": "Top terms (in {n} logged records)",
    "overview_help": "Requests, actions, categories and latency come from the service's metrics; terms from "
                     "the audit log's latest {n} records of each window.",
    "error": "Something went wrong", "error_forbidden": "Your sign-in does not give access to this page",
    "error_csrf": "The form expired. Go back, reload the page and try again.",
    "error_not_found": "Not found", "error_method_not_allowed": "Method not allowed",
    "error_internal": "Internal error", "error_audit_unavailable": "The audit store is unavailable",
    "error_invalid_query": "Invalid filter", "error_invalid_form": "Invalid form",
    "error_unsupported_media_type": "Unsupported form encoding", "error_conflict": "Already decided",
    "tier_block": "block", "tier_warn": "warn", "tier_mask": "mask", "tier_monitor": "monitor",
    "action_pass": "pass", "action_mask": "mask", "action_warn": "warn", "action_block": "block",
    "direction_input": "prompt", "direction_output": "model output",
    "decision_confirm": "confirmed", "decision_dismiss": "dismissed",
    "kind_verdict": "verdicts", "kind_review": "review decisions", "kind_ack": "acknowledgements",
    "kind_hold": "holds", "kind_purge": "purges", "kind_all": "everything",
    "breakdown_tier": "By tier", "breakdown_category": "By category", "breakdown_lang": "By language",
    "breakdown_risk_code": "By risk code", "breakdown_variants": "By variants", "breakdown_file": "By file",
    "risk_coverage": "Coverage by risk code (TC260-003 appendix A)",
    "risk_total": "{total} keywords in all; the standard asks for at least {minimum}.",
    "minimum": "Minimum", "status": "Status", "no_risk_code": "no risk code",
    "risk_met": "met", "risk_short": "short", "risk_missing": "missing",
    "risk_operator-supplied": "operator's own list",
    "risk_extra": "no minimum",
    "breakdown_other": "By {key}", "key_tier": "Tier", "key_category": "Category", "key_lang": "Language",
    "key_risk_code": "Risk code", "key_variants": "Variants", "key_file": "File",
    "variant_exact": "as written", "variant_case": "letter case", "variant_width": "full/half width",
    "variant_traditional": "traditional characters", "variant_diacritics": "accents",
    "variant_noise": "inserted symbols or spaces", "variant_repeat": "repeated letters",
    "variant_leet": "leet digits", "variant_homoglyph": "look-alike letters",
    "variant_homophone": "read by sound (homophone)", "variant_sound": "read by sound",
    "variant_pinyin": "pinyin", "variant_initials": "pinyin initials",
    "variant_lookalike": "look-alike characters", "variant_rule": "contextual rule",
}

ZH: dict[str, str] = {
    "nav": "栏目", "nav_overview": "概览", "nav_queue": "审核队列", "nav_logs": "审计日志",
    "nav_holds": "法律保全", "nav_lexicon": "词库",
    "scope_reviewer": "审核员", "scope_auditor": "审计员", "scope_admin": "管理员",
    "sign_in": "登录", "sign_out": "退出", "token": "访问令牌", "your_name": "您的名字（随审核决定记录）",
    "sign_in_help": "请使用本服务启动时配置的审核员、审计员或管理员令牌。",
    "signin_bad_token": "该令牌不是本服务的审核员、审计员或管理员令牌。",
    "signin_too_many": "登录失败次数过多，请 {wait} 秒后再试。",
    "signin_csrf": "登录表单已过期或 Cookie 被禁用，请重试。",
    "back_home": "返回控制台",
    "queue_title": "审核队列", "pending": "条待审", "by_category": "按类别", "by_age": "按等待时长",
    "age": "时长", "age_hour": "不到一小时", "age_day": "不到一天", "age_week": "不到一周", "age_older": "一周及以上",
    "keys_help": "快捷键：j / k 下一条 / 上一条，c 确认，d 驳回，n 填写备注，Esc 离开备注。",
    "queue_empty": "没有待审内容。", "created": "入队", "conversation": "会话",
    "original": "原文", "masked": "打码后文本", "context": "会话上下文（另有 {n} 条已记录的发言）",
    "note": "备注", "confirm": "确认", "dismiss": "驳回", "next_page": "下一页",
    "conflict": "条目 {id} 已在别处处理（{was}），您的决定未被记录。",
    "decided": "条目 {id} 已处理。",
    "matched": "命中文本", "term": "词条", "category": "类别", "tier": "级别", "variant": "变体",
    "no_hits": "没有命中。", "count": "数量", "none": "无", "hits": "命中",
    "logs_title": "审计日志", "kind": "类型", "action": "处置", "direction": "方向", "any": "全部",
    "since": "起始", "until": "截止", "filter": "筛选", "export": "导出（NDJSON）",
    "verify_chain": "校验哈希链", "times_utc": "时间均为 UTC。", "time": "时间", "text": "文本",
    "scanned": "本页已读取 {n} 条记录；可继续查看下一页", "no_records": "没有记录。",
    "chain_ok": "哈希链完整：已校验 {checked} 条记录，{purged} 条按保留期清除。",
    "chain_bad": "哈希链在第 {seq} 条记录处断裂。", "checked": "已校验记录",
    "purged": "按保留期清除", "first_bad": "首条异常记录", "problem": "问题",
    "record": "记录", "seq": "序号", "hash": "哈希", "prev_hash": "前一哈希",
    "field_conversation_id": "会话", "field_user_id": "用户", "field_service_id": "服务",
    "field_request_id": "请求", "field_lexicon_version": "词库版本",
    "whole_conversation": "整个会话", "warning": "已显示的提醒", "chat": "完整对话",
    "this_text": "被拦截的文本", "no_chat": "该文本未附带此前的消息。",
    "details": "详情",
    "holds_title": "法律保全", "holds_help": "处于保全中的会话，其记录永不清除。",
    "hold_reason": "原因", "held_by": "设置人", "place_hold": "设置保全", "release_hold": "解除",
    "held_now": "该会话处于法律保全中。", "no_holds": "没有处于保全中的会话。",
    "hold_held": "已设置保全。", "hold_released": "已解除保全。",
    "lexicon_title": "词库", "name": "名称", "version": "版本", "loaded_at": "加载时间",
    "source": "来源", "source_files": "文件", "source_database": "数据库", "matcher": "匹配器",
    "terms": "词条", "allowed_phrases": "放行短语", "rules": "规则",
    "reloads": "重新加载", "reload_now": "立即重新加载", "result": "结果", "problems": "问题",
    "reload_ok": "已重新加载：现由 {version} 提供服务。", "reload_same": "已重新加载：{version} 未变化。",
    "reload_bad": "词库被拒绝；继续由 {version} 提供服务。",
    "reload_result_changed": "已切换", "reload_result_unchanged": "未变化",
    "reload_result_rejected": "被拒绝", "no_reloads": "服务启动以来没有重新加载。",
    "more_problems": "另有 {n} 条",
    "playground": "试验台",
    "playground_help": "粘贴一段文本，查看当前词库如何处理——与 `interceptor scan` 的结果相同。不会记录任何内容。",
    "check": "检测", "shown_as": "用户看到的文本", "as_scan": "interceptor scan 的输出",
    "text_too_long": "文本有 {n} 个字符，上限为 {most}。",
    "overview_title": "概览", "running_since": "运行起始", "audit_queue": "待写入的审计记录",
    "audit_store": "审计存储", "store_ok": "正常写入", "store_down": "不可用",
    "last_hour": "最近一小时", "last_day": "最近一天", "since_start": "自启动以来，{at} UTC",
    "requests": "次请求", "latency": "检测耗时", "by_action": "按处置",
    "top_categories": "命中最多的类别", "top_terms": "命中最多的词条（{n} 条已记录的记录中）",
    "overview_help": "请求、处置、类别和耗时来自服务自身的指标；词条来自每个时间窗口内审计日志最新的 {n} 条记录。",
    "error": "出错了", "error_forbidden": "您的登录身份无权访问此页面",
    "error_csrf": "表单已过期。请返回、刷新页面后重试。",
    "error_not_found": "未找到", "error_method_not_allowed": "不支持该方法",
    "error_internal": "内部错误", "error_audit_unavailable": "审计存储不可用",
    "error_invalid_query": "筛选条件无效", "error_invalid_form": "表单无效",
    "error_unsupported_media_type": "不支持的表单编码", "error_conflict": "已被处理",
    "tier_block": "拦截", "tier_warn": "提醒", "tier_mask": "打码", "tier_monitor": "监测",
    "action_pass": "放行", "action_mask": "打码", "action_warn": "提醒", "action_block": "拦截",
    "direction_input": "用户输入", "direction_output": "模型输出",
    "decision_confirm": "已确认", "decision_dismiss": "已驳回",
    "kind_verdict": "判定", "kind_review": "审核决定", "kind_ack": "提醒确认", "kind_hold": "保全",
    "kind_purge": "清除", "kind_all": "全部",
    "breakdown_tier": "按级别", "breakdown_category": "按类别", "breakdown_lang": "按语言",
    "breakdown_risk_code": "按风险代码", "breakdown_variants": "按变体", "breakdown_file": "按文件",
    "risk_coverage": "按风险代码的覆盖情况（TC260-003 附录 A）",
    "risk_total": "共 {total} 个关键词；标准要求至少 {minimum} 个。",
    "minimum": "最低要求", "status": "状态", "no_risk_code": "无风险代码",
    "risk_met": "达标", "risk_short": "不足", "risk_missing": "缺失", "risk_operator-supplied": "由运营方自备",
    "risk_extra": "无最低要求",
    "breakdown_other": "按 {key}", "key_tier": "级别", "key_category": "类别", "key_lang": "语言",
    "key_risk_code": "风险代码", "key_variants": "变体", "key_file": "文件",
    "variant_exact": "原样", "variant_case": "大小写", "variant_width": "全角/半角", "variant_traditional": "繁体字",
    "variant_diacritics": "附加符号", "variant_noise": "插入符号或空格", "variant_repeat": "重复字母",
    "variant_leet": "数字替代字母", "variant_homoglyph": "形似字母", "variant_homophone": "按读音（谐音）",
    "variant_sound": "按读音", "variant_pinyin": "拼音", "variant_initials": "拼音首字母",
    "variant_lookalike": "形近字", "variant_rule": "上下文规则",
}

CATALOGS = {"en": EN, "zh": ZH}


class Texts:
    """``t("key", n=3)`` in a template, and the few lookups whose key is data."""

    def __init__(self, lang: str):
        self.lang = lang
        self.words = CATALOGS[lang]

    def __call__(self, name: str, **values: object) -> str:
        text = self.words[name]
        return text.format(**values) if values else text

    def _coded(self, prefix: str, code: object) -> str:
        return self.words.get(f"{prefix}_{code}", str(code))

    def tier(self, code: object) -> str:
        return self._coded("tier", code)

    def action(self, code: object) -> str:
        return self._coded("action", code)

    def direction(self, code: object) -> str:
        return self._coded("direction", code) if code else ""

    def decision(self, code: object) -> str:
        return self._coded("decision", code)

    def kind(self, code: object) -> str:
        return self._coded("kind", code)

    def variant(self, code: object) -> str:
        return self.words.get(f"variant_{code}", "")

    def risk_status(self, code: object) -> str:
        return self._coded("risk", code)

    def error(self, code: object) -> str:
        return self.words.get(f"error_{code}", self.words["error"])

    def breakdown(self, key: str) -> str:
        return self.words.get(f"breakdown_{key}") or self("breakdown_other", key=key)

    def breakdown_key(self, key: str) -> str:
        return self.words.get(f"key_{key}", key)

    def rows(self, rows: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
        """Rows whose keys are catalog keys, translated."""
        return [(self(key), n) for key, n in rows]

    def action_rows(self, rows: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
        return [(self.action(key), n) for key, n in rows]


def _accepted(header: str) -> list[tuple[float, str]]:
    """Language tags by preference (q, then order), the refused (q=0) left out."""
    out: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and q > 0:
            out.append((-q, i, tag.lower()))
    return [(q, tag) for q, _, tag in sorted(out)]


def negotiate(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(COOKIE)
    if asked in LANGUAGES:
        return asked
    for _, tag in _accepted(request.headers.get("accept-language", "")):
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return "en"


def translator(lang: str) -> Texts:
    return Texts(lang)
