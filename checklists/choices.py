"""Fixed vocabularies of the lists: list types, the Tianjin categories, legal-basis levels, version states."""

from django.db import models

from portal.workflow import Transition, Workflow


class ListType(models.TextChoices):
    AUTONOMY = "autonomy", "居委会群众自治工作职责清单"
    ASSISTANCE = "assistance", "居委会依法协助政府工作事项清单"


#: The list type of tasks admitted through the admission procedure (they are not edited here).
ADMITTED = "admitted"
ADMITTED_CATEGORY = "经准入的工作事项"
LIST_TYPE_LABELS = {**dict(ListType.choices), ADMITTED: "经准入的工作事项"}
#: Item codes start with these letters ("A-3", "B-12"); district additions carry the district code in front.
LIST_TYPE_PREFIX: dict[str, str] = {ListType.AUTONOMY: "A", ListType.ASSISTANCE: "B"}


class Category(models.TextChoices):
    """The 7 + 9 categories of 津民发〔2019〕35号 (their order is the display order)."""

    # 居委会群众自治工作职责清单：7 大类
    LEADERSHIP = "leadership", "接受领导、指导和监督"
    DUTIES = "duties", "依法履职"
    ORGANISATION = "organisation", "组织建设"
    MANAGEMENT = "management", "综合管理"
    SERVICE = "service", "综合服务"
    PUBLICITY = "publicity", "宣传教育"
    LIAISON = "liaison", "联系居民"
    # 居委会依法协助政府工作事项清单：9 大类
    SOCIAL_SECURITY = "social_security", "社会保障和社会救助"
    CIVILITY = "civility", "精神文明建设和文体教育"
    ENVIRONMENT = "environment", "生态环境和城市管理"
    PUBLIC_SECURITY = "public_security", "社会治安和安全保卫"
    RIGHTS = "rights", "权益维护"
    HEALTH = "health", "卫生健康"
    STATISTICS = "statistics", "统计和普查"
    COURTS = "courts", "法院工作"
    CONSCRIPTION = "conscription", "征兵工作"


CATEGORIES_BY_LIST = {
    ListType.AUTONOMY: [
        Category.LEADERSHIP,
        Category.DUTIES,
        Category.ORGANISATION,
        Category.MANAGEMENT,
        Category.SERVICE,
        Category.PUBLICITY,
        Category.LIAISON,
    ],
    ListType.ASSISTANCE: [
        Category.SOCIAL_SECURITY,
        Category.CIVILITY,
        Category.ENVIRONMENT,
        Category.PUBLIC_SECURITY,
        Category.RIGHTS,
        Category.HEALTH,
        Category.STATISTICS,
        Category.COURTS,
        Category.CONSCRIPTION,
    ],
}
CATEGORY_ORDER = {c.value: i for i, c in enumerate(Category)}


class LegalLevel(models.TextChoices):
    """The rank of a legal basis. 司法解释 and 规范性文件 are kept apart so they are never passed off as law."""

    LAW = "law", "法律"
    ADMIN_REGULATION = "admin_regulation", "行政法规"
    LOCAL_REGULATION = "local_regulation", "地方性法规"
    RULE = "rule", "规章"
    JUDICIAL_INTERPRETATION = "judicial_interpretation", "司法解释"
    POLICY = "policy", "规范性文件"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class VersionAction(models.TextChoices):
    EDIT = "edit", "修改清单事项"
    PUBLISH = "publish", "发布新版本"


#: The workflow of a list version: a draft is edited and published; a published version is final.
VERSION_WORKFLOW = Workflow(
    "checklists.list_version",
    states=VersionStatus,
    noun="该清单版本",
    transitions=[
        Transition(VersionAction.EDIT, sources=[VersionStatus.DRAFT]),
        Transition(VersionAction.PUBLISH, sources=[VersionStatus.DRAFT], target=VersionStatus.PUBLISHED),
    ],
)


class PlaqueKind(models.TextChoices):
    """The plaque standard of policy 三(三): three plaques plus the police-room sign; anything else is extra."""

    PARTY = "party", "社区党组织"
    COMMITTEE = "committee", "居民委员会"
    WORKSTATION = "workstation", "社区工作站"
    POLICE = "police", "警务室标识"
    OTHER = "other", "其他牌子（不符合规定）"


STANDARD_PLAQUES = [PlaqueKind.PARTY, PlaqueKind.COMMITTEE, PlaqueKind.WORKSTATION, PlaqueKind.POLICE]


class Requirement(models.TextChoices):
    """Whether the law obliges a community to have an organisation or only allows it."""

    MANDATORY = "mandatory", "应当设立"
    OPTIONAL = "optional", "可以设立或参加"
