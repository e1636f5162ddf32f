"""Realistic task wordings, the way notices and work plans (通知、工作方案) hand work to communities.

Each phrasing: the title, the description, the expected verdict and, where it matters, what must decide it
(the list item id, the rule). ``community`` defaults to 新华南路社区 (community_staff's); admissions are those of
``tests/taskcheck/conftest.py``. Near misses sit next to the cases they resemble.
"""

from __future__ import annotations

from dataclasses import dataclass

HOME = "120103001001"
NEIGHBOUR = "120103001002"
OTHER_STREET = "120103002001"


@dataclass(frozen=True)
class Phrasing:
    title: str
    description: str = ""
    verdict: str = ""
    items: tuple[str, ...] = ()  # acceptable matched item ids (on_list / admitted)
    rule: str = ""  # the rule that must decide (optional)
    admission_no: str = ""
    community: str = HOME

    @property
    def label(self) -> str:
        return (self.title + ("｜" + self.description if self.description else ""))[:60]


def _p(verdict):
    def make(title, description="", *, items=(), rule="", no="", community=HOME):
        if isinstance(items, str):
            items = (items,)
        return Phrasing(title, description, verdict, tuple(items), rule, no, community)

    return make


on_list, admitted, prohibited, not_admitted = (
    _p("on_list"),
    _p("admitted"),
    _p("prohibited"),
    _p("not_admitted"),
)

ON_LIST = [
    on_list("协助开展人口普查入户登记", items="B-33"),
    on_list(
        "关于做好第七次全国人口普查摸底工作的通知",
        "请各社区协助普查员做好辖区住户摸底和入户登记。",
        items="B-33",
    ),
    on_list("配合区统计局做好人口普查宣传动员", items="B-33"),
    on_list("推荐本社区普查员人选", "请各社区协助做好人口普查普查员选调推荐工作。", items="B-33"),
    on_list("协助街道受理辖区困难群众低保申请", items="B-1"),
    on_list("关于做好2026年度临时救助工作的通知", "请各社区协助做好临时救助申请受理和公示。", items="B-1"),
    on_list("特困供养人员情况变化告知", "发现特困供养人员不再符合条件的，及时告知街道。", items="B-2"),
    on_list("春节前走访慰问辖区优抚对象和退役军人家庭", items="B-3"),
    on_list("协助区退役军人事务局做好军属走访帮扶", items="B-3"),
    on_list("帮助辖区残疾人参加社会保险", items="B-4"),
    on_list("汛期灾情报告", "请各社区灾害信息员做好汛期灾情信息报告。", items="B-5"),
    on_list("5·12防灾减灾日开展社区防灾减灾宣传", items="B-5"),
    on_list("配合区文旅局开展“送文化进社区”演出", items=("B-6", "A-12")),
    on_list("协助教育部门摸清辖区适龄儿童入学情况", items="B-7"),
    on_list("开展社区家长学校家庭教育讲座", items="B-8"),
    on_list("国庆节期间在社区升挂国旗", items="B-9"),
    on_list("结合征兵工作开展全民国防教育日宣传", items=("B-9", "B-35")),
    on_list("开展生活垃圾分类宣传，引导居民分类投放", items="B-10"),
    on_list("协助城管部门开展文明养犬宣传", items="B-11"),
    on_list("协助做好辖区占道经营劝导工作", "发现问题及时报告城管部门。", items="B-11"),
    on_list("发现辖区私搭乱建及时劝阻并报告街道", items="B-12"),
    on_list("社区不再承担拆违任务，仅负责违建发现报告", items="B-12"),
    on_list("由城管部门负责执法，社区负责宣传劝导", "宣传文明养犬，劝导不文明遛狗行为。", items="B-11"),
    on_list("了解辖区老年人家庭适老化改造需求", items="B-13"),
    on_list("组织居民志愿者开展治安巡逻", items=("B-14", "A-13")),
    on_list("开展“6·26”国际禁毒日宣传活动", items="B-15"),
    on_list("协助司法所做好社区矫正对象日常走访", items="B-16"),
    on_list("冬季开展楼院消防安全宣传和防火检查", items="B-17"),
    on_list("组织居民开展地震应急疏散演练", items="B-18"),
    on_list("开展反恐怖宣传进社区活动", items="B-19"),
    on_list("面向辖区老年人开展防范电信网络诈骗宣传", items="B-20"),
    on_list("请各社区组织居民观看反诈宣传片", "引导居民下载国家反诈中心APP。", items="B-20"),
    on_list("发现辖区涉嫌非法集资线索及时向街道报告", items="B-21"),
    on_list("协助派出所做好居住证申领受理", items="B-22"),
    on_list(
        "督促子女履行赡养义务", "对不履行赡养义务的子女进行批评教育，调解赡养纠纷。", items=("B-23", "A-9")
    ),
    on_list("摸排辖区留守、困境儿童基本情况", items="B-24"),
    on_list("协助公安机关执行人身安全保护令", items="B-25"),
    on_list("接待辖区家庭暴力投诉并给予帮助", items="B-25"),
    on_list("开展“三八”妇女权益保障宣传", items="B-26"),
    on_list("配合区法律援助中心核查申请人经济困难状况", items="B-27"),
    on_list("组织辖区居民参与传染病预防与控制", items="B-28"),
    on_list("协助卫健部门做好疫情信息收集报告", items="B-28"),
    on_list("帮助严重精神障碍患者监护人做好看护", items="B-29"),
    on_list("开展社区心理健康知识讲座", items="B-29"),
    on_list("世界艾滋病日开展防治知识宣传", items="B-30"),
    on_list("动员适龄居民参加无偿献血", items="B-31"),
    on_list("做好辖区育龄群众计划生育服务", items="B-32"),
    on_list("协助区法院向辖区当事人送达诉讼文书", items="B-34"),
    on_list("推荐社区居民作为人民陪审员候选人", items="B-34"),
    on_list(
        "关于做好2026年度征兵工作的通知", "请各社区协助做好征兵宣传，动员适龄青年踊跃应征。", items="B-35"
    ),
    on_list("召开居民代表会议讨论小区停车管理方案", items="A-3"),
    on_list("组织居民修订居民公约", items="A-4"),
    on_list("做好居委会换届选举选民登记工作", items="A-5"),
    on_list("调整充实人民调解委员会和居民小组长", items=("A-6", "A-9")),
    on_list("公布社区公益事业收支账目", items="A-7"),
    on_list("组织居民清理楼道杂物", items="A-8"),
    on_list("调解居民邻里纠纷", items="A-9"),
    on_list("指导小区成立业主委员会", items="A-10"),
    on_list("为辖区高龄老人提供便民服务", items=("A-11", "B-23")),
    on_list("组织居民开展广场舞比赛", items="A-12"),
    on_list("举办社区邻里节文艺演出", items="A-12"),
    on_list("组建社区志愿服务队开展邻里互助", items="A-13"),
    on_list("开展宪法宣传周普法宣传", items="A-14"),
    on_list("开展“好家风”家庭评选", "组织居民推荐身边的好家风家庭。", items="A-15"),
    on_list("组织居民议事协商解决停车难问题", items="A-16"),
    on_list("向居民会议报告居委会年度工作", items=("A-2", "A-3")),
    on_list("请各社区规范悬挂居民委员会牌子", rule="plaque"),
    on_list("建立辖区困难群众救助台账", rule="ledger"),
    on_list("设立社区人民调解委员会", items=("A-6", "org-人民调解委员会")),
    on_list("请各社区报送出租房屋信息台账", "流动人口和出租房屋信息并入居民基础信息台账。", rule="ledger"),
]

ADMISSION_TASKS = {
    3: "老旧小区加装电梯居民意愿征询",
    5: "城乡居民医疗保险参保动员",
    7: "社区老年助餐服务点运营协助",
    8: "居民电动自行车集中充电设施需求摸底",
    11: "“15分钟便民生活圈”居民需求调查",
    12: "社区嵌入式托育服务需求摸底",
    14: "燃气用户安全用气入户告知",
    15: "城市更新项目居民意见征询",
}


def _no(n: int) -> str:
    return f"津河西准〔2026〕{n}号"


ADMITTED = [
    # Handed over with the admission number.
    admitted("关于开展老旧小区加装电梯意愿征询的通知", "请各社区入户征询住户意见。", no=_no(3)),
    admitted("加装电梯意愿征询", no=_no(3)),
    admitted("协助征询居民加装电梯意见", no=_no(3), community=NEIGHBOUR),
    admitted("城乡居民医保参保动员", no=_no(5)),
    admitted("关于做好2026年度城乡居民医保集中参保工作的通知", "请各社区动员未参保居民参保。", no=_no(5)),
    admitted("医保参保宣传", no=_no(5), community=OTHER_STREET),
    admitted("老年助餐点就餐登记", no=_no(7)),
    admitted("关于做好社区老年助餐服务的通知", "请社区协助收集送餐需求。", no=_no(7)),
    admitted("电动自行车集中充电需求摸底", no=_no(8)),
    admitted("关于开展电动自行车充电设施需求调查的通知", no=_no(8), community=NEIGHBOUR),
    admitted("便民生活圈需求问卷发放", no=_no(11)),
    admitted("关于开展“15分钟便民生活圈”建设需求调查的通知", "请各社区协助发放问卷。", no=_no(11)),
    admitted("托育服务需求摸底", no=_no(12)),
    admitted("婴幼儿家庭托育需求调查", "请社区协助摸底三岁以下婴幼儿家庭。", no=_no(12)),
    admitted("安全用气告知书入户发放", no=_no(14)),
    admitted("配合燃气公司入户告知安全用气", no=_no(14), community=NEIGHBOUR),
    admitted("城市更新意见征询会", no=_no(15)),
    admitted("组织居民参加城市更新方案征询", no=_no(15)),
    admitted("入户征询加装电梯意愿", no="津河西准〔2026〕3号"),
    admitted("参保动员", "动员辖区未参保居民参加城乡居民医保。", no=_no(5), community=NEIGHBOUR),
    # The number quoted in the notice itself.
    admitted("关于开展老旧小区加装电梯意愿征询的通知（津河西准〔2026〕3号）", "请各社区入户征询。"),
    admitted("医保参保动员", "根据津河西准〔2026〕5号，请各社区动员居民参保。"),
    admitted("老年助餐需求收集", "本事项已经区政府批准（津河西准〔2026〕7号）。"),
    admitted("充电设施需求摸底", "准入编号：津河西准〔2026〕8号。"),
    admitted("便民网点需求调查", "依据津河西准〔2026〕11号开展。"),
    admitted("托育需求摸底", "经区委批准，编号津河西准〔2026〕12号。"),
    admitted("安全用气入户告知", "津河西准〔2026〕14号"),
    admitted("城市更新居民意见征询", "请按津河西准〔2026〕15号要求组织。"),
    # No number: recognised from the community's admitted tasks.
    admitted("老旧小区加装电梯居民意愿征询"),
    admitted("请各社区入户了解老旧小区住户加装电梯意愿"),
    admitted("关于开展加装电梯意愿征询的通知", "请社区汇总住户签字意见。"),
    admitted("协助收集加装电梯住户意见", community=NEIGHBOUR),
    admitted("动员辖区居民参加城乡居民医保"),
    admitted("城乡居民医疗保险参保动员"),
    admitted("关于做好城乡居民医保参保缴费的通知", "请各社区协助宣传医保政策，动员未参保居民参保。"),
    admitted("宣传城乡居民医保政策", community=OTHER_STREET),
    admitted("社区老年助餐点就餐老人登记"),
    admitted("协助老年助餐服务点收集送餐需求"),
    admitted("关于推进社区老年助餐服务的通知", "请社区协助做好助餐点就餐登记。"),
    admitted("摸底小区电动自行车数量"),
    admitted("电动自行车集中充电设施建设需求调查"),
    admitted("关于开展电动自行车充电桩需求摸底的通知", "请各社区摸清小区集中充电需求。", community=NEIGHBOUR),
    admitted("“15分钟便民生活圈”居民需求调查"),
    admitted("协助发放便民生活圈需求调查问卷"),
    admitted("调查居民对菜市场、便利店等便民网点的需求"),
    admitted("社区嵌入式托育服务需求摸底"),
    admitted("协助摸底三岁以下婴幼儿家庭托育需求"),
    admitted("关于开展托育服务需求调查的通知", "请社区摸底婴幼儿照护需求。"),
    admitted("燃气用户安全用气入户告知"),
    admitted("配合燃气公司入户发放安全用气告知书"),
    admitted("提醒居民更换老化燃气胶管", community=NEIGHBOUR),
    admitted("城市更新项目居民意见征询"),
    admitted("协助组织居民参加城市更新方案意见征询会"),
    admitted("关于开展城市更新项目意见征询的通知", "请社区组织居民代表参加征询会。"),
    admitted("加装电梯签字意见汇总"),
    admitted("医保参保缴费动员", community=NEIGHBOUR),
    admitted("老年助餐送餐需求收集"),
    admitted("集中充电设施需求摸底", community=NEIGHBOUR),
    admitted("便民网点需求问卷"),
    admitted("婴幼儿照护服务需求调查"),
    admitted("安全用气告知书发放", community=NEIGHBOUR),
]

PROHIBITED = [
    # 拆迁拆违
    prohibited("由社区负责辖区违建拆除", rule="negative_list"),
    prohibited(
        "关于开展违法建设专项治理的通知", "请各社区于6月30日前完成辖区违建拆除。", rule="negative_list"
    ),
    prohibited("请各社区对辖区内私搭乱建进行清理拆除", rule="negative_list"),
    prohibited("社区作为辖区拆违工作的责任主体", "负责组织拆除工作。", rule="negative_list"),
    prohibited("由社区牵头开展老旧小区违章建筑拆除", rule="negative_list"),
    prohibited("由社区负责片区房屋征收入户签约", rule="negative_list"),
    prohibited("各社区承担辖区动迁居民腾退任务", rule="negative_list"),
    prohibited("辖区违建由社区负责拆除到位", rule="negative_list"),
    prohibited("社区负责违建整治", rule="negative_list"),
    prohibited("社区负责辖区违章搭建的强制拆除", rule="negative_list"),
    # 城市管理
    prohibited("由社区负责占道经营执法", rule="negative_list"),
    prohibited("由社区负责辖区流动摊贩清理", rule="negative_list"),
    prohibited("请各社区取缔辖区马路市场", rule="negative_list"),
    prohibited("社区负责对辖区违规停车进行处罚", rule="negative_list"),
    prohibited("请各社区对辖区店外经营商户开具罚单", rule="negative_list"),
    prohibited("由社区组织实施辖区户外广告清理", rule="negative_list"),
    prohibited("明确社区为共享单车乱停乱放治理责任主体", rule="negative_list"),
    prohibited("社区负责辖区渣土车管理", rule="negative_list"),
    prohibited("请各社区对辖区露天烧烤进行取缔", rule="negative_list"),
    prohibited("由社区具体负责辖区城市管理工作", rule="negative_list"),
    prohibited("社区承担辖区市容市貌整治任务", rule="negative_list"),
    prohibited("各社区要对占道经营商户进行驱离和清理", rule="negative_list"),
    prohibited("由社区负责辖区违规广告牌拆除", rule="negative_list"),
    # 环境整治
    prohibited("社区要落实属地责任，做好辖区环境整治", rule="negative_list"),
    prohibited("关于开展市容环境综合整治的通知", "由社区牵头负责辖区综合整治。", rule="negative_list"),
    prohibited("社区作为辖区散乱污企业治理的责任主体", rule="negative_list"),
    prohibited("由社区负责辖区扬尘治理", rule="negative_list"),
    prohibited("请各社区牵头做好辖区黑臭水体治理", rule="negative_list"),
    prohibited("各社区要落实属地管理责任，开展人居环境整治", rule="negative_list"),
    prohibited("各社区要牵头开展“散乱污”企业清理取缔", rule="negative_list"),
    # 行政执法
    prohibited("由社区负责辖区无证经营查处", rule="negative_list"),
    prohibited("请社区对辖区群租房进行执法检查", rule="negative_list"),
    prohibited("社区网格员负责对违规装修进行处罚", rule="negative_list"),
    prohibited("社区负责对辖区违规排污商户进行查处", rule="negative_list"),
    prohibited("由社区负责辖区企业环保执法", rule="negative_list"),
    # 招商引资
    prohibited("请各社区完成本季度招商引资任务", rule="negative_list"),
    prohibited("各社区要完成年度招商任务", "每个社区引进企业不少于2家。", rule="negative_list"),
    prohibited("社区负责楼宇招商和企业注册落户", rule="negative_list"),
    prohibited("给各社区下达招商引资任务指标", rule="negative_list"),
    # A department's or the street's own duty.
    prohibited("社区负责辖区餐饮企业食品安全检查", rule="own_duty"),
    prohibited("请各社区对辖区企业开展安全生产监督检查", rule="own_duty"),
    prohibited("由社区负责核发居民养犬许可证", rule="own_duty"),
    prohibited("请社区代为办理个体工商户营业执照", rule="own_duty"),
    prohibited("请各社区催缴辖区居民城乡居民医保费", rule="own_duty"),
    prohibited("请社区代收辖区居民有线电视费", rule="own_duty"),
    prohibited("由社区负责低保审核审批", rule="own_duty"),
    prohibited("请社区负责辖区九小场所消防监督检查", rule="own_duty"),
    prohibited("社区负责辖区商户消防安全检查", rule="own_duty"),
    # Certificates the community does not issue (三（五）).
    prohibited("请社区为辖区居民出具亲属关系证明", rule="certificate"),
    prohibited("请社区为退休人员出具健在证明", rule="certificate"),
    prohibited("要求居委会出具无犯罪记录证明", rule="certificate"),
    prohibited("请社区为申请人开具婚姻状况证明", rule="certificate"),
    prohibited("社区为辖区居民开具收入证明", rule="certificate"),
    prohibited("请社区出具证明", "证明申请人与被继承人的亲属关系。", rule="certificate"),
    # Plaques beyond the standard (三（三）).
    prohibited("请各社区在党群服务中心门口悬挂“老年协会”牌子", rule="plaque"),
    prohibited("请各社区统一制作并悬挂“退役军人服务站”标牌", rule="plaque"),
    prohibited("在社区办公楼外墙悬挂“网格化管理工作站”牌子", rule="plaque"),
    prohibited("请社区悬挂“禁毒工作站”“妇女之家”等牌子"),
    prohibited("为社区授“科普示范社区”牌匾"),
    # Appraisals and one-vote vetoes (evaluations' rule, 三（四）).
    prohibited("安全生产工作对社区实行一票否决"),
    prohibited("开展“十佳社区”评比排名"),
]

NOT_ADMITTED = [
    # The community made the responsible subject of an assisting item outside the barred fields: not its duty
    # (三（一）), refusable, never on_list (issue 9.2).
    not_admitted("社区作为人口普查工作的责任主体", rule="own_duty"),
    not_admitted("由社区承担居住证办理的主体责任", rule="own_duty"),
    not_admitted("由社区负责初次兵役登记"),
    # Near misses of list items: not the census, not on the lists.
    not_admitted("开展经济普查入户登记"),
    not_admitted("协助开展全国第五次经济普查单位清查"),
    not_admitted("请各社区协助开展全国农业普查"),
    not_admitted("协助开展辖区地下管网普查"),
    not_admitted("配合统计局开展1%人口抽样调查"),
    not_admitted("协助区商务局开展辖区商户经营情况统计"),
    not_admitted("请社区协助完成辖区“四上”企业统计联网直报"),
    not_admitted("协助区人社局开展企业用工需求调查"),
    not_admitted("协助开展辖区楼宇经济调查"),
    not_admitted("请社区协助做好辖区商品房销售情况调查"),
    not_admitted("协助区发改委开展物价监测"),
    not_admitted("协助开展辖区空置房屋清查"),
    not_admitted("协助区住建委开展房屋安全鉴定入户排查"),
    not_admitted("协助开展公共场所控烟执法检查"),
    not_admitted("请社区协助开展辖区餐饮油烟投诉调查"),
    # Work that is nobody's duty for the community.
    not_admitted("请各社区组织居民下载使用政务APP并完成注册任务"),
    not_admitted("请各社区协助税务部门开展个人所得税APP推广注册"),
    not_admitted("协助推广社区团购平台"),
    not_admitted("协助保险公司推销惠民保"),
    not_admitted("组织居民参加某商业银行理财讲座"),
    not_admitted("请各社区组织居民参加保健品推介会"),
    not_admitted("请各社区配合电信运营商推广宽带套餐"),
    not_admitted("协助区金融局开展数字人民币推广"),
    not_admitted("请各社区安排人员到区政务服务中心值守"),
    not_admitted("请各社区每日上报辖区重点人员动态"),
    not_admitted("请各社区每月报送社区工作动态信息不少于4篇"),
    not_admitted("请社区工作人员每天在工作群打卡签到并上传照片"),
    not_admitted("请社区组织居民填写满意度调查问卷", "确保满意率达到95%。"),
    not_admitted("请各社区上报辖区内外卖骑手名单"),
    not_admitted("协助开展辖区宠物医院经营情况摸底"),
    not_admitted("社区协助发放旅游景点年卡"),
    not_admitted("请各社区协助开展旅游消费券发放宣传"),
    not_admitted("请各社区配合开展林长制巡林工作"),
    not_admitted("请社区协助做好辖区停车场收费情况调查"),
    not_admitted("请各社区协助完成农村土地承包经营权确权登记"),
    # Ledgers outside the district catalogue (三（三）).
    not_admitted("请各社区于3月底前建立辖区养犬户登记台账", rule="ledger"),
    not_admitted("请各社区建立辖区商铺信息台账", rule="ledger"),
    not_admitted("建立辖区宠物店经营户台账", rule="ledger"),
    not_admitted("请各社区填写“平安建设”工作台账", "于每月5日前上报街道。", rule="ledger"),
    not_admitted("请社区每月填报燃气用户安全检查报表", rule="ledger"),
    not_admitted("关于规范社区防汛物资台账的通知", "请各社区建立防汛物资管理台账。", rule="ledger"),
    # Organisations, venues and staff nobody may demand (三（三）).
    not_admitted("各社区成立创建全国文明城区工作领导小组", rule="organisation"),
    not_admitted("成立社区防汛工作专班", rule="organisation"),
    not_admitted("请各社区设立退役军人服务站", "并配备专职工作人员。", rule="organisation"),
    not_admitted("请各社区腾出专门活动场所作为老年协会活动室", rule="organisation"),
    not_admitted("每个社区配备一名专职食品安全协管员", rule="organisation"),
    not_admitted("各社区成立垃圾分类工作协调小组", rule="organisation"),
    not_admitted("请社区设立“妇女儿童之家”专用活动室", rule="organisation"),
    # Admission numbers that do not admit the task here.
    not_admitted("冬季供热入户测温", no="津河西准〔2026〕2号", rule="admission_no"),
    not_admitted("社区团购推广", no="津河西准〔2026〕9号", rule="admission_no"),
    not_admitted("老年助餐点就餐登记", no="津河西准〔2026〕7号", community=NEIGHBOUR, rule="admission_no"),
    not_admitted("托育需求摸底", no="津河西准〔2026〕12号", community=NEIGHBOUR, rule="admission_no"),
    not_admitted("加装电梯意愿征询", no="津河西准〔2026〕3号", community=OTHER_STREET, rule="admission_no"),
    not_admitted("入户宣传", no="津河西准〔2026〕99号", rule="admission_no"),
    not_admitted("城市更新意见征询", no="津和平准〔2026〕15号", community=NEIGHBOUR, rule="admission_no"),
    not_admitted("关于开展入户测温的通知", "依据津河西准〔2026〕2号开展。", rule="admission_no"),
    # Admitted elsewhere, not here: the same task in a community outside its scope.
    not_admitted("关于开展加装电梯意愿征询的通知", "请各社区入户征询住户意见。", community=OTHER_STREET),
    not_admitted("嵌入式托育服务需求摸底", community=NEIGHBOUR),
    not_admitted("城市更新项目意见征询会", community=NEIGHBOUR),
    not_admitted("电动自行车集中充电设施需求摸底", community=OTHER_STREET),
    not_admitted("燃气用户安全用气入户告知", community=OTHER_STREET),
    not_admitted("“15分钟便民生活圈”居民需求调查", community=NEIGHBOUR),
]

ALL = ON_LIST + ADMITTED + PROHIBITED + NOT_ADMITTED
