"""What each burden figure counts and from which records: the one list the dashboard, the PDF report and the
Excel export are built from, so that the three always show the same rows with the same explanations."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    explain: str
    group: str
    pending: bool = False  # the records behind it do not exist yet on the platform


GROUPS = [
    ("tasks", "社区承担的工作事项"),
    ("admission", "准入审批"),
    ("refusals", "任务核查与拒绝承接"),
    ("registers", "台账报表与挂牌"),
    ("certificates", "社区证明与用印"),
    ("supervision", "投诉、整改与居民诉求"),
    ("stars", "评星定级"),
]

METRICS: list[Metric] = [
    Metric("communities", "社区（村）数", "个", "统计范围内的社区和村，来自组织树。", "tasks"),
    Metric(
        "tasks_listed",
        "清单内事项",
        "项·社区",
        "期末施行的市级清单和区级增补清单的事项数，乘以适用的社区数（每个社区承担的清单事项之和）。",
        "tasks",
    ),
    Metric(
        "tasks_admitted",
        "准入事项",
        "项·社区",
        "期间内有效的已准入事项：批准时间早于期末、工作期间与统计期间重叠、期初前未被撤销，按适用社区计数。",
        "tasks",
    ),
    Metric(
        "workload_hours",
        "准入事项工作量",
        "小时/月",
        "上述准入事项申报的每社区每月工作量（小时）之和：部门要求社区额外投入的时间。",
        "tasks",
    ),
    Metric(
        "adm_submitted",
        "提交准入申请",
        "件",
        "期间内提交（含退回后再次提交）的准入申请，按申请计数；范围按申请涉及的社区。",
        "admission",
    ),
    Metric(
        "adm_refused_on_submit",
        "提交即不予准入",
        "件",
        "提交时因属于负面清单或部门自身职责而直接不予准入的申请。",
        "admission",
    ),
    Metric("adm_rejected", "审查或审批不予准入", "件", "期间内经审查或审批决定不予准入的申请。", "admission"),
    Metric("adm_approved", "批准准入", "件", "期间内批准准入的申请（取得准入编号）。", "admission"),
    Metric(
        "adm_funded",
        "其中费随事转",
        "件",
        "批准的申请中，申报了工作经费且写明了提供的工作条件的件数。",
        "admission",
    ),
    Metric(
        "adm_purchase",
        "其中政府购买服务",
        "件",
        "批准的申请中，以政府购买服务方式交由社会组织承接、不由居委会承担的件数。",
        "admission",
    ),
    Metric(
        "refusals",
        "拒绝承接登记",
        "件",
        "社区在任务核查后拒绝承接并出具《拒绝承接告知书》的登记数。",
        "refusals",
    ),
    Metric("refusals_prohibited", "其中禁止下派事项", "件", "核查结论为“禁止下派事项”的拒绝。", "refusals"),
    Metric("refusals_not_admitted", "其中未经准入事项", "件", "核查结论为“未经准入事项”的拒绝。", "refusals"),
    Metric(
        "ledgers",
        "台账目录数",
        "项",
        "区台账目录清单中的台账数（期末）。社区、街道显示所在区的目录。",
        "registers",
    ),
    Metric(
        "ledgers_baseline",
        "清理前台账数",
        "项",
        "区在清理前登记的台账、报表基数（由区民政局登记，未登记显示为空）。",
        "registers",
    ),
    Metric("ledgers_merged", "合并形成的台账", "项", "目录中注明由原有台账合并而来的台账数。", "registers"),
    Metric(
        "plaques_compliant",
        "挂牌符合规范的社区",
        "个",
        "当前未悬挂规定以外牌子的社区（规定牌子：党组织、居委会、工作站、警务室标识）。",
        "registers",
    ),
    Metric(
        "plaques_noncompliant",
        "挂牌不规范的社区",
        "个",
        "当前仍悬挂规定以外牌子的社区，来自社区挂牌登记。",
        "registers",
    ),
    Metric(
        "plaques_fixed",
        "期间内整改挂牌",
        "处",
        "期间内从挂牌登记中撤下的规定以外牌子（审计日志中的撤牌记录）。",
        "registers",
    ),
    Metric("certificates", "出具证明", "份", "期间内出具的社区证明（已编号）。", "certificates"),
    Metric(
        "certificates_on_time",
        "其中按时办结",
        "份",
        "出具时间不晚于办理期限的证明。",
        "certificates",
    ),
    Metric(
        "barred_redirects",
        "不应由社区出具的证明（已引导）",
        "次",
        "居民查询或申请不应由居委会出具的证明时，平台告知其应向哪个单位办理的次数，计入居民登记的所在社区或其查询时所在的社区页面；未登录且未从社区页面查询的无法确定社区，只计入全市（“未指明社区”一行）。",
        "certificates",
    ),
    Metric(
        "seal_uses",
        "用印",
        "次",
        "用印登记簿中的文件：社区证明、拒绝承接告知书（社区印章）、准入通知书（审批机关印章）和通报批评（民政局印章）；后两类计入发文机关所在的区或市，不分摊到街道、社区。",
        "certificates",
    ),
    Metric(
        "complaints",
        "投诉",
        "件",
        "期间内提出的投诉（不含合并的重复投诉），来自投诉督办记录；计入投诉涉及的社区，未指明社区的计入办理的区或市民政局（不分摊到街道、社区）。",
        "supervision",
    ),
    Metric(
        "complaints_substantiated",
        "其中查实",
        "件",
        "上述投诉中查证属实、进入整改或已办结的件数。",
        "supervision",
    ),
    Metric(
        "rectifications_on_time",
        "按期整改",
        "件",
        "期间内下达、在期限内完成整改并经核验的整改通知件数；按所涉投诉的社区计，未指明社区的计入办理的民政局。",
        "supervision",
    ),
    Metric(
        "appeals",
        "居民诉求",
        "件",
        "期间内居民向本社区提出的诉求和意见建议。",
        "supervision",
    ),
    Metric(
        "appeals_answered",
        "其中已答复",
        "件",
        "上述诉求中社区（或逾期后街道）已答复的件数。",
        "supervision",
    ),
    Metric(
        "appeals_median_hours",
        "诉求答复时间中位数",
        "小时",
        "期间内提出且已答复的诉求从提出到答复所用时间的中位数（按用时排序取中间一件，偶数件取较短的一件）；各单位、各月分别计算，不能相加。",
        "supervision",
    ),
    Metric(
        "stars_rated",
        "已发布星级的社区",
        "个",
        "统计年度（或此前最近一次）已发布的评星定级结果中的社区数。",
        "stars",
    ),
    Metric("stars_avg", "平均星级", "星", "已发布结果的平均星级。", "stars"),
    *[
        Metric(
            f"stars_{s}",
            f"{s}星" if s else "无星",
            "个",
            f"评为{s}星的社区数。" if s else "未达到一星标准的社区数。",
            "stars",
        )
        for s in (5, 4, 3, 2, 1, 0)
    ],
]

BY_KEY = {m.key: m for m in METRICS}

#: The figures shown per child unit in the drill-down table (the rest are shown for the whole scope).
TABLE_KEYS = [
    "communities",
    "tasks_listed",
    "tasks_admitted",
    "workload_hours",
    "adm_approved",
    "refusals",
    "certificates",
    "seal_uses",
    "plaques_noncompliant",
    "stars_avg",
]

#: Month-by-month series shown as the trend chart.
TREND_KEYS = ["tasks_admitted", "workload_hours", "adm_approved", "refusals", "certificates"]

#: The second table per child unit and per month: where residents were redirected, complained and appealed.
SERVICE_KEYS = [
    "barred_redirects",
    "complaints",
    "complaints_substantiated",
    "rectifications_on_time",
    "appeals",
    "appeals_answered",
    "appeals_median_hours",
]

#: Figures that cannot be added up over units or months (the median, an average, a catalogue shared by a
#: district's streets): the "not attributed" row leaves them empty.
NOT_ADDITIVE = {"appeals_median_hours", "stars_avg", "ledgers", "ledgers_baseline", "ledgers_merged"}


def grouped(metrics: list[Metric] | None = None) -> list[tuple[str, str, list[Metric]]]:
    metrics = metrics or METRICS
    return [(g, label, [m for m in metrics if m.group == g]) for g, label in GROUPS]
