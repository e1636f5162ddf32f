"""The shipped content: the city base lists (16 + 35 items), the negative list and the register defaults.

Every legal basis below is taken from ``../shared/LEGAL-BASES.md`` (which names, law by law, the articles that
mention the residents' committee or the grassroots self-governing organisation). Where a law makes the street or
a department responsible and the committee only assists, the item is worded 协助 and cites the article naming the
committee. The city admin edits these items in the portal after they are loaded (``services.base_lists_seed``).
"""

from __future__ import annotations

from checklists.choices import LegalLevel as L

# Law names, spelled once.
ORG_LAW = "中华人民共和国城市居民委员会组织法"
TJ_ORG_RULES = "天津市实施〈中华人民共和国城市居民委员会组织法〉办法"
CONSTITUTION = "中华人民共和国宪法"
TJ_OPINION = "关于进一步开展社区减负工作依法厘清居民委员会职责提升为民服务效能的意见（津民发〔2019〕35号）"
PROPERTY = "物业管理条例"
MEDIATION = "中华人民共和国人民调解法"
CULTURE = "中华人民共和国公共文化服务保障法"

AUTONOMY = "autonomy"
ASSISTANCE = "assistance"


def _b(law: str, article: str, level: str = L.LAW) -> tuple[str, str, str]:
    return (law, article, level)


#: The city base lists. ``code`` is stable across versions; ``bases`` are (law, article, level).
BASE_ITEMS: list[dict] = [
    # ── 居委会群众自治工作职责清单：7 类 16 项 ─────────────────────────────────────────────
    dict(
        code="A-1",
        list_type=AUTONOMY,
        category="leadership",
        title="接受街道办事处的指导、支持和帮助",
        content="在社区党组织领导下开展工作，接受区人民政府、街道办事处（乡镇人民政府）对居委会工作的指导、支持和帮助。",
        bases=[_b(ORG_LAW, "第二条"), _b(TJ_ORG_RULES, "第二条", L.LOCAL_REGULATION)],
        keywords=["支持和帮助", "业务指导", "工作指导"],
    ),
    dict(
        code="A-2",
        list_type=AUTONOMY,
        category="leadership",
        title="参加社区评星定级考核",
        content="参加市、区统一组织的社区评星定级（星级评定）；评星定级结果即社区党组织评星定级结果和社区工作综合考核结果，"
        "作为评先评优、治理整顿的依据。除此之外，未经批准的评比达标、示范创建不属于居委会工作事项。",
        bases=[_b(TJ_OPINION, "三（四）", L.POLICY), _b(ORG_LAW, "第二条")],
        keywords=["评星定级", "星级评定", "社区评星", "社区综合考核", "评星自评"],
    ),
    dict(
        code="A-3",
        list_type=AUTONOMY,
        category="leadership",
        title="向居民会议负责并报告工作，接受居民监督",
        content="居民委员会向居民会议负责并报告工作；居民会议有权撤换和补选居民委员会成员。",
        bases=[_b(ORG_LAW, "第十条")],
        keywords=["报告工作", "述职", "居民会议", "居民监督", "居务公开"],
    ),
    dict(
        code="A-4",
        list_type=AUTONOMY,
        category="duties",
        title="调解民间纠纷",
        content="通过人民调解委员会调解居民之间的民间纠纷，促进家庭和睦、邻里团结。",
        bases=[_b(ORG_LAW, "第三条第三项"), _b(MEDIATION, "第八条")],
        keywords=["调解", "纠纷", "矛盾化解", "邻里纠纷", "家庭纠纷", "人民调解"],
    ),
    dict(
        code="A-5",
        list_type=AUTONOMY,
        category="duties",
        title="监督居民公约的执行",
        content="居民公约由居民会议讨论制定，报街道办事处备案，由居民委员会监督执行。",
        bases=[_b(ORG_LAW, "第十五条")],
        keywords=["居民公约", "公约", "自治章程"],
    ),
    dict(
        code="A-6",
        list_type=AUTONOMY,
        category="duties",
        title="对依法被剥夺政治权利的人进行监督和教育",
        content="依法被剥夺政治权利的人编入居民小组，居民委员会应当对他们进行监督和教育。",
        bases=[_b(ORG_LAW, "第十八条")],
        keywords=["剥夺政治权利", "监督教育"],
    ),
    dict(
        code="A-7",
        list_type=AUTONOMY,
        category="organisation",
        title="依法组织居民委员会换届选举",
        content="居民委员会每届任期五年，成员可以连选连任；依法组织换届选举。",
        bases=[_b(ORG_LAW, "第八条")],
        keywords=["换届", "选举", "换届选举", "居委会选举", "选民登记"],
    ),
    dict(
        code="A-8",
        list_type=AUTONOMY,
        category="organisation",
        title="设立人民调解、治安保卫、公共卫生等下属委员会",
        content="根据需要设立人民调解、治安保卫、公共卫生等委员会，居委会成员可以兼任下属委员会成员。",
        bases=[_b(ORG_LAW, "第十三条"), _b(CONSTITUTION, "第一百一十一条")],
        keywords=["下属委员会", "人民调解委员会", "治安保卫委员会", "公共卫生委员会"],
    ),
    dict(
        code="A-9",
        list_type=AUTONOMY,
        category="organisation",
        title="实行民主决策，不得强迫命令",
        content="居民委员会决定问题，采取少数服从多数的原则；进行工作应当采取民主的方法，不得强迫命令。",
        bases=[_b(ORG_LAW, "第十一条")],
        keywords=["民主决策", "少数服从多数", "议事协商", "社区协商"],
    ),
    dict(
        code="A-10",
        list_type=AUTONOMY,
        category="management",
        title="办理本居住地区居民的公共事务和公益事业",
        content="办理本居住地区的公共事务和公益事业；所需费用经居民会议讨论决定按自愿原则筹集，收支账目及时公布，接受居民监督。",
        bases=[_b(ORG_LAW, "第三条第二项"), _b(ORG_LAW, "第十六条")],
        keywords=["公共事务", "公益事业", "账目公布", "收支公开", "一事一议"],
    ),
    dict(
        code="A-11",
        list_type=AUTONOMY,
        category="management",
        title="管理本居民委员会的财产",
        content="居民委员会管理本居民委员会的财产，任何部门和单位不得侵犯居民委员会的财产所有权。",
        bases=[_b(ORG_LAW, "第四条")],
        keywords=["居委会财产", "集体财产", "资产管理"],
    ),
    dict(
        code="A-12",
        list_type=AUTONOMY,
        category="service",
        title="开展便民利民的社区服务活动",
        content="开展便民利民的社区服务活动，可以兴办有关的服务事业；发展社区志愿互助服务。",
        bases=[_b(ORG_LAW, "第四条")],
        keywords=["便民服务", "社区服务", "便民利民", "志愿服务", "邻里互助"],
    ),
    dict(
        code="A-13",
        list_type=AUTONOMY,
        category="service",
        title="组织开展群众性文化体育活动",
        content="结合居民需求开展群众性文化体育活动。",
        bases=[_b(CULTURE, "第三十七条")],
        keywords=["文体活动", "文化活动", "文艺演出", "群众文化"],
    ),
    dict(
        code="A-14",
        list_type=AUTONOMY,
        category="publicity",
        title="宣传宪法、法律、法规和国家政策",
        content="宣传宪法、法律、法规和国家的政策，维护居民的合法权益，教育居民履行依法应尽的义务，爱护公共财产。",
        bases=[_b(ORG_LAW, "第三条第一项")],
        keywords=["普法", "法治宣传", "政策宣传", "宪法宣传", "法律宣传"],
    ),
    dict(
        code="A-15",
        list_type=AUTONOMY,
        category="publicity",
        title="开展精神文明建设活动，加强民族团结",
        content=(
            "开展多种形式的社会主义精神文明建设活动；多民族居住地区教育居民互相帮助、互相尊重，加强民族团结；"
            "重要节日、纪念日有条件的升挂国旗。"
        ),
        bases=[_b(ORG_LAW, "第三条第一项"), _b(ORG_LAW, "第五条"), _b("中华人民共和国国旗法", "第七条")],
        keywords=["精神文明", "文明家庭", "民族团结", "移风易俗", "好人好事", "升挂国旗", "升国旗"],
    ),
    dict(
        code="A-16",
        list_type=AUTONOMY,
        category="liaison",
        title="向人民政府或者街道办事处反映居民的意见、要求，提出建议",
        content="密切联系居民，收集居民诉求和意见建议，向人民政府或者街道办事处反映并提出建议。",
        bases=[_b(ORG_LAW, "第三条第六项")],
        keywords=["反映意见", "居民诉求", "民意收集", "意见建议", "走访居民"],
    ),
    # ── 居委会依法协助政府工作事项清单：9 类 35 项 ──────────────────────────────────────────
    # 社会保障和社会救助（5）
    dict(
        code="B-1",
        list_type=ASSISTANCE,
        category="social_security",
        title="协助做好社会救助工作",
        content="协助街道办事处做好最低生活保障、特困人员供养、临时救助等社会救助工作：受委托代为提出申请，"
        "配合在社区公示初审意见；发现特困供养人员不再符合条件的，告知街道办事处。入户调查、审核由街道和民政部门负责。",
        department="街道办事处、区民政局",
        bases=[
            _b("社会救助暂行办法", "第四条第二款", L.ADMIN_REGULATION),
            _b("社会救助暂行办法", "第十一条", L.ADMIN_REGULATION),
            _b("社会救助暂行办法", "第十八条", L.ADMIN_REGULATION),
        ],
        keywords=[
            "社会救助",
            "低保",
            "最低生活保障",
            "特困",
            "特困供养",
            "临时救助",
            "救助申请",
            "代为申请",
            "救助公示",
        ],
    ),
    dict(
        code="B-2",
        list_type=ASSISTANCE,
        category="social_security",
        title="协助做好抚恤优待对象的走访帮扶工作",
        content="协助退役军人事务部门做好抚恤优待对象的走访、帮扶工作。",
        department="区退役军人事务局、街道办事处",
        bases=[_b("军人抚恤优待条例", "第三十八条", L.ADMIN_REGULATION)],
        keywords=["优抚", "抚恤优待", "退役军人", "军属", "烈属", "走访慰问", "拥军优属"],
    ),
    dict(
        code="B-3",
        list_type=ASSISTANCE,
        category="social_security",
        title="做好所属范围内的残疾人工作",
        content="做好所属范围内的残疾人工作，鼓励、帮助残疾人参加社会保险。",
        department="区残疾人联合会、区民政局",
        bases=[_b("中华人民共和国残疾人保障法", "第七条"), _b("中华人民共和国残疾人保障法", "第四十七条")],
        keywords=["残疾人", "残联", "助残", "残疾人参保"],
    ),
    dict(
        code="B-4",
        list_type=ASSISTANCE,
        category="social_security",
        title="协助做好自然灾害救助工作",
        content="依法协助开展自然灾害救助；宣传普及防灾减灾知识；设立专职或者兼职的灾害信息员。",
        department="区应急管理局、街道办事处",
        bases=[
            _b("自然灾害救助条例", "第五条", L.ADMIN_REGULATION),
            _b("自然灾害救助条例", "第六条", L.ADMIN_REGULATION),
            _b("自然灾害救助条例", "第十二条", L.ADMIN_REGULATION),
        ],
        keywords=["自然灾害", "灾害救助", "防灾减灾", "灾害信息员", "灾情报送"],
    ),
    dict(
        code="B-5",
        list_type=ASSISTANCE,
        category="social_security",
        title="为慈善捐赠款物的分配送达提供帮助",
        content="为捐赠款物的分配送达、信息统计等提供力所能及的帮助。",
        department="区民政局",
        bases=[_b("中华人民共和国慈善法", "第七十四条")],
        keywords=["慈善", "捐赠", "捐赠款物", "募捐"],
    ),
    # 精神文明建设和文体教育（4）
    dict(
        code="B-6",
        list_type=ASSISTANCE,
        category="civility",
        title="协助开展公共文化服务相关工作",
        content="协助文化和旅游等部门开展公共文化服务相关工作，管理和使用社区综合性文化服务设施。",
        department="区文化和旅游局、街道办事处",
        bases=[_b(CULTURE, "第三十七条")],
        keywords=["公共文化", "文化服务", "综合文化服务中心", "书屋"],
    ),
    dict(
        code="B-7",
        list_type=ASSISTANCE,
        category="civility",
        title="组织居民开展全民健身活动，协助做好相关工作",
        content="组织居民开展全民健身活动，协助体育部门做好全民健身相关工作。",
        department="区体育局",
        bases=[_b("全民健身条例", "第十七条", L.ADMIN_REGULATION), _b("中华人民共和国体育法", "第二十二条")],
        keywords=["全民健身", "健身", "体育活动", "运动会"],
    ),
    dict(
        code="B-8",
        list_type=ASSISTANCE,
        category="civility",
        title="协助督促适龄儿童、少年入学",
        content="协助政府做好义务教育工作，督促适龄儿童、少年（包括适龄女性儿童、少年）入学。",
        department="区教育局",
        bases=[_b("中华人民共和国义务教育法", "第十三条"), _b("中华人民共和国妇女权益保障法", "第三十六条")],
        keywords=["入学", "控辍保学", "义务教育", "适龄儿童"],
    ),
    dict(
        code="B-9",
        list_type=ASSISTANCE,
        category="civility",
        title="开展家庭教育指导服务",
        content="开展家庭教育工作，可以设立社区家长学校等家庭教育指导服务站点。",
        department="区妇女联合会、区教育局",
        bases=[
            _b("中华人民共和国家庭教育促进法", "第九条"),
            _b("中华人民共和国家庭教育促进法", "第三十八条"),
        ],
        keywords=["家庭教育", "家长学校", "家教指导"],
    ),
    # 生态环境和城市管理（3）
    dict(
        code="B-10",
        list_type=ASSISTANCE,
        category="environment",
        title="开展生活垃圾分类和固体废物污染环境防治宣传教育",
        content="加强固体废物污染环境防治宣传教育和科学普及，宣传动员居民参与生活垃圾分类。居委会不是环境整治和城市管理的责任主体。",
        department="区城市管理委员会、区生态环境局",
        bases=[_b("中华人民共和国固体废物污染环境防治法", "第十一条")],
        keywords=["垃圾分类", "生活垃圾", "固体废物", "环保宣传", "垃圾分类宣传"],
    ),
    dict(
        code="B-11",
        list_type=ASSISTANCE,
        category="environment",
        title="支持并配合家庭无障碍设施改造",
        content="支持并配合开展家庭无障碍设施改造。",
        department="区住房和建设委员会、区残疾人联合会",
        bases=[_b("中华人民共和国无障碍环境建设法", "第十九条第二款")],
        keywords=["无障碍", "适老化改造", "无障碍改造"],
    ),
    dict(
        code="B-12",
        list_type=ASSISTANCE,
        category="environment",
        title="指导和监督业主大会、业主委员会",
        content="对业主大会、业主委员会依法履行职责进行指导和监督；业主委员会配合居委会做好物业管理区域内的社区建设工作。",
        department="区住房和建设委员会、街道办事处",
        bases=[_b(PROPERTY, "第二十条", L.ADMIN_REGULATION)],
        keywords=["物业", "业主委员会", "业委会", "业主大会", "物业管理"],
    ),
    # 社会治安和安全保卫（7）
    dict(
        code="B-13",
        list_type=ASSISTANCE,
        category="public_security",
        title="协助维护社会治安",
        content="通过治安保卫委员会协助公安机关维护社会治安，开展群防群治。",
        department="公安派出所",
        bases=[_b(ORG_LAW, "第三条第四项"), _b(CONSTITUTION, "第一百一十一条")],
        keywords=["治安", "群防群治", "平安建设", "巡逻", "治安巡逻"],
    ),
    dict(
        code="B-14",
        list_type=ASSISTANCE,
        category="public_security",
        title="协助开展禁毒宣传教育，落实禁毒防范措施",
        content="协助人民政府和公安机关等部门加强禁毒宣传教育，落实禁毒防范措施；发现非法种植毒品原植物的，予以制止、铲除并报告公安机关。"
        "社区戒毒由街道办事处负责。",
        department="区禁毒委员会办公室、公安派出所",
        bases=[_b("中华人民共和国禁毒法", "第十七条"), _b("中华人民共和国禁毒法", "第十九条第二款")],
        keywords=["禁毒", "禁毒宣传", "毒品", "罂粟", "防毒"],
    ),
    dict(
        code="B-15",
        list_type=ASSISTANCE,
        category="public_security",
        title="协助社区矫正机构做好社区矫正工作",
        content="依法协助社区矫正机构做好社区矫正工作：为调查评估提供协助，参加矫正小组，开展教育帮扶。协助工作所需经费列入预算。",
        department="区司法局、司法所",
        bases=[
            _b("中华人民共和国社区矫正法", "第十二条"),
            _b("中华人民共和国社区矫正法", "第十八条"),
            _b("中华人民共和国社区矫正法", "第二十五条"),
        ],
        keywords=["社区矫正", "矫正", "矫正小组", "社区服刑", "调查评估"],
    ),
    dict(
        code="B-16",
        list_type=ASSISTANCE,
        category="public_security",
        title="协助开展消防宣传教育，组织制定防火安全公约",
        content="协助人民政府、公安机关、应急管理等部门加强消防宣传教育；确定消防安全管理人，组织制定防火安全公约，进行防火安全检查；"
        "可以建立志愿消防队。",
        department="区消防救援支队、区应急管理局",
        bases=[
            _b("中华人民共和国消防法", "第六条"),
            _b("中华人民共和国消防法", "第三十二条"),
            _b("中华人民共和国消防法", "第四十一条"),
        ],
        keywords=["消防", "消防宣传", "防火", "防火安全公约", "火灾隐患", "志愿消防队"],
    ),
    dict(
        code="B-17",
        list_type=ASSISTANCE,
        category="public_security",
        title="协助做好突发事件应对工作",
        content="依法协助人民政府和有关部门做好突发事件应对工作：开展应急知识宣传和应急演练，设立信息报告员，按照当地政府决定进行宣传动员、"
        "组织自救互救。",
        department="区应急管理局、街道办事处",
        bases=[
            _b("中华人民共和国突发事件应对法", "第二十二条第二款"),
            _b("中华人民共和国突发事件应对法", "第四十二条第二款"),
            _b("中华人民共和国突发事件应对法", "第六十条"),
        ],
        keywords=["突发事件", "应急", "应急演练", "应急宣传", "防汛", "信息报告员"],
    ),
    dict(
        code="B-18",
        list_type=ASSISTANCE,
        category="public_security",
        title="协助开展反恐怖、反电信网络诈骗和有组织犯罪预防宣传",
        content="协助有关部门加强反恐怖主义宣传教育，面向老年人、青少年开展反电信网络诈骗宣传，协助开展有组织犯罪预防和治理工作。",
        department="公安派出所",
        bases=[
            _b("中华人民共和国反恐怖主义法", "第十七条"),
            _b("中华人民共和国反电信网络诈骗法", "第八条"),
            _b("中华人民共和国反有组织犯罪法", "第九条第二款"),
        ],
        keywords=["反诈", "防诈骗", "电信诈骗", "反恐", "扫黑除恶", "有组织犯罪"],
    ),
    dict(
        code="B-19",
        list_type=ASSISTANCE,
        category="public_security",
        title="协助做好居住证的申领受理、发放工作",
        content="协助公安机关做好居住证的申领受理、发放等工作。居住证的签发由公安机关负责。",
        department="公安派出所",
        bases=[_b("居住证暂行条例", "第八条第二款", L.ADMIN_REGULATION)],
        keywords=["居住证", "居住登记", "流动人口"],
    ),
    # 权益维护（5）
    dict(
        code="B-20",
        list_type=ASSISTANCE,
        category="rights",
        title="维护老年人合法权益",
        content="反映老年人的要求，维护老年人合法权益；监督赡养协议的履行，督促赡养人履行赡养义务。",
        department="区民政局、区老龄工作委员会办公室",
        bases=[
            _b("中华人民共和国老年人权益保障法", "第七条"),
            _b("中华人民共和国老年人权益保障法", "第二十条"),
            _b("中华人民共和国老年人权益保障法", "第二十四条"),
        ],
        keywords=["老年人", "赡养", "养老", "高龄", "独居老人", "空巢老人"],
    ),
    dict(
        code="B-21",
        list_type=ASSISTANCE,
        category="rights",
        title="做好未成年人保护和预防未成年人犯罪工作",
        content="设置专人专岗负责未成年人保护工作，协助宣传，指导、帮助和监督监护人；建立留守未成年人、困境未成年人信息台账；"
        "发现侵害未成年人的情况立即报告。",
        department="区民政局、区未成年人保护工作领导小组办公室",
        bases=[
            _b("中华人民共和国未成年人保护法", "第十一条"),
            _b("中华人民共和国未成年人保护法", "第四十三条"),
            _b("中华人民共和国预防未成年人犯罪法", "第二十五条"),
        ],
        keywords=["未成年人", "未成年人保护", "留守儿童", "困境儿童", "儿童主任", "预防未成年人犯罪"],
    ),
    dict(
        code="B-22",
        list_type=ASSISTANCE,
        category="rights",
        title="维护妇女合法权益",
        content="发现被拐卖、绑架的妇女及时报告并参与解救安置；预防和制止家庭暴力。",
        department="区妇女联合会",
        bases=[
            _b("中华人民共和国妇女权益保障法", "第二十二条"),
            _b("中华人民共和国妇女权益保障法", "第六十五条"),
        ],
        keywords=["妇女权益", "妇女", "拐卖"],
    ),
    dict(
        code="B-23",
        list_type=ASSISTANCE,
        category="rights",
        title="配合做好家庭暴力预防和处置工作",
        content="配合、协助家庭暴力预防工作；接受家庭暴力投诉并给予帮助；依法强制报告；查访收到告诫书的加害人和受害人；"
        "协助执行人身安全保护令。",
        department="区妇女联合会、公安派出所、人民法院",
        bases=[
            _b("中华人民共和国反家庭暴力法", "第八条"),
            _b("中华人民共和国反家庭暴力法", "第十三条"),
            _b("中华人民共和国反家庭暴力法", "第十四条"),
            _b("中华人民共和国反家庭暴力法", "第三十二条"),
        ],
        keywords=["家庭暴力", "家暴", "人身安全保护令", "告诫书"],
    ),
    dict(
        code="B-24",
        list_type=ASSISTANCE,
        category="rights",
        title="配合核查法律援助申请人的经济困难状况",
        content="法律援助机构核查申请人经济困难状况时，予以配合。",
        department="区司法局（法律援助中心）",
        bases=[_b("中华人民共和国法律援助法", "第四十一条")],
        keywords=["法律援助", "经济困难核查", "经济状况核查"],
    ),
    # 卫生健康（4）
    dict(
        code="B-25",
        list_type=ASSISTANCE,
        category="health",
        title="协助做好突发公共卫生事件和传染病防控工作",
        content="传染病暴发、流行时，组织力量，群防群治，协助卫生健康部门做好疫情信息的收集和报告、人员的分散隔离、公共卫生措施的落实工作，"
        "向居民宣传传染病防治的相关知识。",
        department="区卫生健康委员会、街道办事处",
        bases=[_b("突发公共卫生事件应急条例", "第四十条", L.ADMIN_REGULATION)],
        keywords=["疫情", "传染病", "疫情防控", "防疫", "公共卫生", "流调"],
    ),
    dict(
        code="B-26",
        list_type=ASSISTANCE,
        category="health",
        title="协助开展精神卫生工作",
        content="协助开展社区心理健康指导和精神卫生知识宣传；帮助监护人看护严重精神障碍患者，帮助生活困难的患者家庭并向政府反映情况。",
        department="区卫生健康委员会、公安派出所、区民政局",
        bases=[
            _b("中华人民共和国精神卫生法", "第十条第二款"),
            _b("中华人民共和国精神卫生法", "第二十条"),
            _b("中华人民共和国精神卫生法", "第四十九条"),
        ],
        keywords=["精神卫生", "心理健康", "精神障碍", "严重精神障碍"],
    ),
    dict(
        code="B-27",
        list_type=ASSISTANCE,
        category="health",
        title="开展健康知识宣传，动员组织适龄居民献血",
        content="开展健康知识宣传和艾滋病防治宣传教育；动员和组织本辖区适龄居民参加献血。",
        department="区卫生健康委员会、区红十字会",
        bases=[
            _b("中华人民共和国基本医疗卫生与健康促进法", "第六十七条"),
            _b("艾滋病防治条例", "第六条", L.ADMIN_REGULATION),
            _b("中华人民共和国献血法", "第六条"),
        ],
        keywords=["健康宣传", "健康教育", "献血", "无偿献血", "艾滋病"],
    ),
    dict(
        code="B-28",
        list_type=ASSISTANCE,
        category="health",
        title="协助做好计划生育工作",
        content="依法做好计划生育工作，协助政府做好与居民利益有关的计划生育等工作。",
        department="区卫生健康委员会",
        bases=[_b("中华人民共和国人口与计划生育法", "第十二条"), _b(ORG_LAW, "第三条第五项")],
        keywords=["计划生育", "计生", "生育服务", "生育登记"],
    ),
    # 统计和普查（2）
    dict(
        code="B-29",
        list_type=ASSISTANCE,
        category="statistics",
        title="协助开展人口普查",
        content="协助所在地人民政府动员和组织社会力量，做好本区域的人口普查工作。普查由各级人口普查机构组织实施，居委会是协助方。",
        department="区统计局（区人口普查办公室）、街道办事处",
        bases=[_b("全国人口普查条例", "第三条第四款", L.ADMIN_REGULATION)],
        keywords=["人口普查", "普查登记", "人口普查入户登记", "人口登记", "普查动员"],
    ),
    dict(
        code="B-30",
        list_type=ASSISTANCE,
        category="statistics",
        title="协助划分普查区，推荐普查员和普查指导员",
        content="人口普查以居委会辖区为基础划分普查区；普查员和普查指导员可以从居委会选调。",
        department="区统计局（区人口普查办公室）",
        bases=[
            _b("全国人口普查条例", "第十六条", L.ADMIN_REGULATION),
            _b("全国人口普查条例", "第十九条", L.ADMIN_REGULATION),
        ],
        keywords=["普查区", "普查小区", "普查员", "普查指导员", "绘制普查区图"],
    ),
    # 法院工作（3）
    dict(
        code="B-31",
        list_type=ASSISTANCE,
        category="courts",
        title="推荐人民陪审员候选人",
        content="人民陪审员候选人可以由户籍所在地或者经常居住地的基层群众性自治组织推荐产生；依法保障人民陪审员参加审判活动。",
        department="区人民法院、区司法局",
        bases=[_b("中华人民共和国人民陪审员法", "第十一条"), _b("中华人民共和国人民陪审员法", "第四条")],
        keywords=["人民陪审员", "陪审员", "陪审员推荐"],
    ),
    dict(
        code="B-32",
        list_type=ASSISTANCE,
        category="courts",
        title="派员见证留置送达",
        content="受送达人拒绝签收诉讼文书的，应人民法院邀请派工作人员到场见证留置送达。",
        department="区人民法院",
        bases=[
            _b("中华人民共和国民事诉讼法", "第八十九条"),
            _b(
                "最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释",
                "第一百三十条",
                L.JUDICIAL_INTERPRETATION,
            ),
        ],
        keywords=["留置送达", "送达", "诉讼文书", "见证送达"],
    ),
    dict(
        code="B-33",
        list_type=ASSISTANCE,
        category="courts",
        title="派员参加勘验、查封和强制迁出",
        content="人民法院勘验物证或者现场、查封财产、强制迁出房屋时，应邀派人参加。",
        department="区人民法院",
        bases=[
            _b("中华人民共和国民事诉讼法", "第八十三条"),
            _b("中华人民共和国民事诉讼法", "第二百五十六条"),
            _b("中华人民共和国民事诉讼法", "第二百六十一条"),
        ],
        keywords=["勘验", "强制迁出", "法院执行", "应邀派员"],
    ),
    # 征兵工作（2）
    dict(
        code="B-34",
        list_type=ASSISTANCE,
        category="conscription",
        title="结合征兵工作开展国防教育",
        content="将国防教育纳入精神文明建设，结合征兵工作、拥军优属对居民进行国防教育；可以聘请退役军人协助。",
        department="区人民武装部、街道办事处",
        bases=[_b("中华人民共和国国防教育法", "第二十四条")],
        keywords=["国防教育", "征兵宣传", "全民国防教育", "征兵"],
    ),
    dict(
        code="B-35",
        list_type=ASSISTANCE,
        category="conscription",
        title="协助街道办事处做好兵役登记和征兵动员",
        content="兵役登记和征兵工作由街道办事处组织，居委会协助通知、动员适龄青年。",
        department="街道办事处、区人民武装部",
        bases=[_b(ORG_LAW, "第二条"), _b(TJ_ORG_RULES, "第二条", L.LOCAL_REGULATION)],
        keywords=["兵役登记", "征兵动员", "适龄青年", "应征青年"],
    ),
]

#: District additions shipped with the demo (河西区): real legal bases from LEGAL-BASES.md as well.
DEMO_DISTRICT_ITEMS: dict[str, list[dict]] = {
    "120103": [
        dict(
            code="120103-B-1",
            list_type=ASSISTANCE,
            category="public_security",
            title="协助做好非法集资风险宣传和线索报告",
            content="发现涉嫌非法集资的，及时向街道办事处或者有关部门报告。",
            department="河西区金融工作局、街道办事处",
            bases=[_b("防范和处置非法集资条例", "第十七条", L.ADMIN_REGULATION)],
            keywords=["非法集资", "集资诈骗", "金融风险"],
        ),
        dict(
            code="120103-B-2",
            list_type=ASSISTANCE,
            category="public_security",
            title="发现生产经营单位事故隐患及时报告",
            content="发现所在区域内的生产经营单位存在事故隐患或者安全生产违法行为的，向街道办事处或者有关部门报告。",
            department="河西区应急管理局",
            bases=[_b("中华人民共和国安全生产法", "第七十五条")],
            keywords=["安全生产", "事故隐患", "隐患报告"],
        ),
    ],
}


#: The negative list (policy 三(一)): responsibilities a residents' committee may never carry.
NEGATIVE_CLAUSE = "津民发〔2019〕35号 三（一）"
NEGATIVE_ITEMS: list[dict] = [
    dict(
        code="enforcement",
        title="行政执法",
        reason="行政执法是行政机关依法行使的职权。居委会是基层群众性自治组织，不是行政机关，没有执法权，"
        "不得作为行政处罚、行政强制、执法检查的责任主体；发现问题可以劝阻并向有关部门反映。",
        keywords=[
            "行政执法",
            "执法",
            "行政处罚",
            "罚款",
            "查处",
            "取缔",
            "没收",
            "行政强制",
            "执法检查",
            "责令整改",
            "责令停业",
            "联合执法",
            "查封扣押",
        ],
    ),
    dict(
        code="demolition",
        title="拆迁拆违",
        reason="房屋征收、拆迁和违法建设的查处拆除由政府及其职能部门依法实施。居委会不得作为拆迁拆违的责任主体，"
        "不得被分配拆除、腾退指标。",
        keywords=[
            "拆迁",
            "拆违",
            "违建",
            "违章建筑",
            "违法建设",
            "违法建筑",
            "私搭乱建",
            "拆除",
            "腾退",
            "征收",
            "动迁",
            "征地",
            "控违",
        ],
    ),
    dict(
        code="environment",
        title="环境整治",
        reason="环境整治（市容环境、环境卫生、河道水体等的综合整治）由政府和城市管理、生态环境等部门负责。"
        "居委会可以宣传动员居民参与，但不得作为整治的责任主体、承担整治任务和考核指标。",
        keywords=[
            "环境整治",
            "综合整治",
            "集中整治",
            "专项整治",
            "市容整治",
            "环境卫生整治",
            "脏乱差",
            "清脏治乱",
            "背街小巷整治",
            "河道整治",
            "大气污染防治",
            "扬尘治理",
        ],
    ),
    dict(
        code="urban_management",
        title="城市管理",
        reason="城市管理（占道经营、流动摊贩、户外广告、市容秩序等的管理）是城市管理部门的职责。"
        "居委会不得作为城市管理的责任主体，不得被要求承担巡查管控、处置职责。",
        keywords=[
            "城市管理",
            "城管",
            "占道经营",
            "流动摊贩",
            "摊贩",
            "户外广告",
            "违规广告",
            "市容秩序",
            "门前三包",
            "共享单车",
            "停车管理",
            "渣土",
        ],
    ),
    dict(
        code="investment",
        title="招商引资",
        reason="招商引资是政府经济部门的职责。居委会是居民自治组织，不得被分配招商引资、税源培育、企业落地等任务和指标。",
        keywords=[
            "招商引资",
            "招商",
            "引资",
            "引进企业",
            "企业落地",
            "税源",
            "税收任务",
            "投资项目",
            "经济指标",
            "楼宇经济",
            "注册企业",
        ],
    ),
    dict(
        code="own_duty",
        title="部门和街道职责范围内的事项",
        reason="属于各部门、街道（乡镇）职责范围内的事项，不得要求社区承担。部门和街道不得把本应由自己办理的审批、发证、"
        "检查、核查、统计填报等工作转嫁给居委会；确需居委会协助的，须经准入审批。",
        keywords=[
            "部门职责",
            "街道职责",
            "职责范围内",
            "代为审批",
            "代办审批",
            "行政许可",
            "发证",
            "核发",
            "代替部门",
            "转嫁",
            "责任主体",
            "属地责任",
            "签订责任书",
            "责任状",
        ],
    ),
]


#: Organisations a community may be asked to set up or join (city-wide defaults, policy 三(三)).
ORGANISATIONS: list[dict] = [
    dict(
        name="人民调解委员会",
        requirement="mandatory",
        mandate="居民委员会设立人民调解委员会，调解民间纠纷；委员由居民会议推选。",
        legal_basis="《中华人民共和国人民调解法》第八条、第九条；《中华人民共和国城市居民委员会组织法》第十三条",
    ),
    dict(
        name="治安保卫委员会",
        requirement="optional",
        mandate="根据需要设立，协助维护社会治安。",
        legal_basis="《中华人民共和国城市居民委员会组织法》第十三条；《中华人民共和国宪法》第一百一十一条",
    ),
    dict(
        name="公共卫生委员会",
        requirement="optional",
        mandate="根据需要设立，协助做好公共卫生工作。",
        legal_basis="《中华人民共和国城市居民委员会组织法》第十三条；《中华人民共和国宪法》第一百一十一条",
    ),
    dict(
        name="社区矫正小组（参加）",
        requirement="optional",
        mandate="社区矫正机构可以吸收居委会人员参加矫正小组。",
        legal_basis="《中华人民共和国社区矫正法》第二十五条",
    ),
    dict(
        name="志愿消防队",
        requirement="optional",
        mandate="居民委员会可以建立志愿消防队等多种形式的消防组织。",
        legal_basis="《中华人民共和国消防法》第四十一条",
    ),
    dict(
        name="基层应急救援队伍",
        requirement="optional",
        mandate="有条件的居民委员会可以建立基层应急救援队伍，及时、就近开展应急救援。",
        legal_basis="《中华人民共和国突发事件应对法》第三十九条",
    ),
    dict(
        name="社区家长学校",
        requirement="optional",
        mandate="可以设立社区家长学校等家庭教育指导服务站点。",
        legal_basis="《中华人民共和国家庭教育促进法》第三十八条",
    ),
    dict(
        name="灾害信息员（专职或兼职）",
        requirement="mandatory",
        mandate="设立专职或者兼职的灾害信息员。",
        legal_basis="《自然灾害救助条例》第十二条",
    ),
    dict(
        name="未成年人保护专人专岗",
        requirement="mandatory",
        mandate="设置专人专岗负责未成年人保护工作。",
        legal_basis="《中华人民共和国未成年人保护法》第四十三条",
    ),
    dict(
        name="突发事件信息报告员",
        requirement="mandatory",
        mandate="设立专职或者兼职信息报告员。",
        legal_basis="《中华人民共和国突发事件应对法》第六十条",
    ),
]

#: 河西区 ledger catalogue (demo): ledgers cleaned up and merged per policy 三(三).
DEMO_LEDGERS: dict[str, list[dict]] = {
    "120103": [
        dict(
            name="社会救助对象协助工作台账",
            legal_basis="《社会救助暂行办法》第四条第二款",
            merged_from="低保对象台账、特困人员台账、临时救助台账",
            retention="5年",
            department="河西区民政局",
        ),
        dict(
            name="留守未成年人、困境未成年人信息台账",
            legal_basis="《中华人民共和国未成年人保护法》第四十三条",
            merged_from="留守儿童台账、困境儿童台账、儿童主任工作记录",
            retention="长期",
            department="河西区民政局",
        ),
        dict(
            name="人民调解工作台账",
            legal_basis="《中华人民共和国人民调解法》第八条",
            merged_from="矛盾纠纷排查台账、调解登记簿、调解回访记录",
            retention="5年",
            department="河西区司法局",
        ),
        dict(
            name="社区矫正协助工作记录",
            legal_basis="《中华人民共和国社区矫正法》第十二条、第二十五条",
            merged_from="矫正小组活动记录、走访记录",
            retention="5年",
            department="河西区司法局",
        ),
        dict(
            name="居民会议和居务公开记录",
            legal_basis="《中华人民共和国城市居民委员会组织法》第十条、第十五条、第十六条",
            merged_from="居民会议记录、居民公约备案、收支账目公布记录",
            retention="长期",
            department="河西区民政局",
        ),
        dict(
            name="消防安全检查记录",
            legal_basis="《中华人民共和国消防法》第三十二条",
            merged_from="防火检查记录、消防宣传记录、防火安全公约",
            retention="3年",
            department="河西区消防救援支队",
        ),
        dict(
            name="印章使用登记簿",
            legal_basis="津民发〔2019〕35号 三（五）（规范性文件）",
            merged_from="证明出具登记、用印审批单",
            retention="长期",
            department="河西区民政局",
        ),
    ],
}

#: 河西区 demo plaque inventory: one compliant community, one with an extra plaque.
DEMO_PLAQUES: dict[str, list[tuple[str, str]]] = {
    "120103001001": [
        ("party", "中共新华南路社区委员会"),
        ("committee", "新华南路社区居民委员会"),
        ("workstation", "新华南路社区工作站"),
        ("police", "新华南路社区警务室"),
    ],
    "120103001002": [
        ("party", "中共浦口道社区委员会"),
        ("committee", "浦口道社区居民委员会"),
        ("workstation", "浦口道社区工作站"),
        ("police", "浦口道社区警务室"),
        ("other", "食品安全示范社区"),
    ],
}
