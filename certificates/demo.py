"""Demo data: Tianjin's five certificates, the barred list, and applications of ``resident``.

Legal bases follow ``LEGAL-BASES.md`` §4 of the shared notes: where no statute requiring the committee to
certify was found, the catalogue says so (``法规依据待核实``) instead of inventing one.
"""

from __future__ import annotations

import io

from certificates.choices import AttachmentKind, BarredSource

OPINION = "依据《意见》三（五）（天津市居委会可出具的5项证明之一）"

CERTIFICATE_TYPES = [
    {
        "code": "residence",
        "name": "居住证明",
        "order": 10,
        "validity_days": 90,
        "legal_basis_verified": False,
        "legal_basis": OPINION
        + "。相关条文：《居住证暂行条例》第八条第二款规定居委会“协助”居住证的申领受理、发放；"
        "该条例第九条列举的住址证明不包括居委会证明。天津市要求居委会出具居住证明的规章，法规依据待核实。",
        "eligible_applicants": "在本社区辖区内实际居住的居民本人",
        "required_materials": [
            "居民身份证（正反面）",
            "户口本（户主页和本人页）",
            "居住事实材料：房屋产权证明、租赁合同或物业、水电缴费凭证等",
        ],
        "wording_template": "兹证明{holder_name}（公民身份号码：{id_masked}）居住在本社区辖区内。"
        "经核实，申请人所提交的材料与其居住情况相符。本证明用于{purpose}。",
    },
    {
        "code": "participation",
        "name": "参与社区治理及参加社区活动情况证明",
        "order": 20,
        "validity_days": 180,
        "legal_basis_verified": False,
        "legal_basis": OPINION
        + "。未找到要求居委会出具此证明的法规依据；《志愿服务条例》第二十一条把志愿服务记录证明的"
        "出具职责交给志愿服务组织。法规依据待核实。",
        "eligible_applicants": "参与本社区治理或参加本社区活动的居民本人",
        "required_materials": [
            "居民身份证（正反面）",
            "户口本（户主页和本人页）",
            "参与社区治理或活动的记录（签到、照片等，可选）",
        ],
        "wording_template": "兹证明{holder_name}（公民身份号码：{id_masked}）参与本社区治理及社区活动，情况如下：{reason}。"
        "本证明用于{purpose}。",
    },
    {
        "code": "student_practice",
        "name": "中小学生社区实践活动证明",
        "order": 30,
        "validity_days": 180,
        "legal_basis_verified": False,
        "legal_basis": OPINION + "。未找到法规依据，仅有教育方面的政策文件，具体文件待核实。",
        "eligible_applicants": "在本社区参加社区实践活动的中小学生（由监护人代为申请）",
        "required_materials": [
            "学生的居民身份证或户口本本人页",
            "监护人的居民身份证（正反面）",
            "户口本（户主页）",
            "学校布置社区实践活动的通知（可选）",
        ],
        "wording_template": "兹证明{holder_name}（公民身份号码：{id_masked}）在本社区参加社区实践活动，情况如下：{reason}。"
        "本证明用于{purpose}。",
    },
    {
        "code": "hardship_litigation",
        "name": "生活困难证明（诉讼费缓减免及司法救助）",
        "order": 40,
        "validity_days": 90,
        "legal_basis_verified": False,
        "legal_basis": OPINION
        + "。相关条文：《民事诉讼法》（2023）第一百二十一条第二款（交费确有困难的可以申请缓交、减交、免交）；"
        "《诉讼费用交纳办法》（2006）第四十四条至第四十八条（第四十八条要求提交确有经济困难的证明材料）；"
        "《法律援助法》（2021）第四十一条（核查经济困难状况时居委会应予配合）。上述条文均未规定由居委会出具证明，法规依据待核实。",
        "eligible_applicants": "本社区居民中向人民法院申请缓交、减交、免交诉讼费用或申请司法救助的当事人",
        "required_materials": [
            "居民身份证（正反面）",
            "户口本（户主页和本人页）",
            "法院受理案件的材料（起诉状、受理通知书等）",
            "家庭收入和生活困难情况的材料（低保证、特困证、失业登记、医疗费用单据等）",
        ],
        "wording_template": "兹证明{holder_name}（公民身份号码：{id_masked}）系本社区居民。据本人申请及所提交的材料，"
        "其家庭生活困难，情况如下：{reason}。本证明用于{purpose}。",
    },
    {
        "code": "other_statutory",
        "name": "职责范围内依法依规应出具的其他证明",
        "order": 50,
        "validity_days": 90,
        "legal_basis_verified": False,
        "legal_basis": "依据《意见》三（五）：职责范围内依法依规应出具的其他证明。兜底条款，没有单一依据；"
        "每次出具须在申请事由中写明要求居委会证明的法律、法规或规章条款。",
        "eligible_applicants": "本社区居民，且有法律、法规或规章明确要求由居委会证明的事项",
        "required_materials": [
            "居民身份证（正反面）",
            "户口本（户主页和本人页）",
            "要求居委会证明的法律、法规或规章条款及相关材料",
        ],
        "wording_template": "兹证明{holder_name}（公民身份号码：{id_masked}）：{reason}。本证明用于{purpose}。",
    },
]

N, T = BarredSource.NATIONAL_2020, BarredSource.TIANJIN_75
BARRED = [
    (
        "亲属关系证明",
        "亲属、家属关系、父子关系、母子关系、夫妻关系、母女、父女、父子、母子、兄妹、姐弟、兄弟关系、姐妹关系、祖孙、婆媳、叔侄、血缘关系",
        N,
        "公安派出所（户籍登记）、公证机构",
        "亲属关系用户口簿、结婚证、出生医学证明等证件证明；证件不能证明的，可到户籍所在地派出所查询户籍档案或到公证机构办理亲属关系公证。",
    ),
    (
        "居民身份信息（户籍）证明",
        "身份信息、户籍证明、户口证明、身份证明、同一人、曾用名、原名、改名、改过名、用过的名字、以前的名字",
        N,
        "户籍所在地公安派出所",
        "持居民身份证、户口簿到户籍所在地公安派出所申请户籍证明；能用身份证、户口簿证明的，不需要再开证明。",
    ),
    (
        "户口登记项目内容变更申请证明",
        "户口变更、户口更正、更改姓名、更改出生日期",
        N,
        "户籍所在地公安派出所",
        "持身份证、户口簿及变更依据材料直接到户籍所在地派出所申请，由公安机关依法核查。",
    ),
    (
        "养犬证明",
        "养狗、犬只、养犬登记、犬证",
        N,
        "公安机关（养犬登记部门）",
        "按《天津市养犬管理条例》到公安机关办理养犬登记，无需居委会证明。",
    ),
    (
        "无犯罪记录证明",
        "无犯罪、犯罪记录、无违法犯罪、违法记录、违法犯罪记录、良民证",
        N,
        "公安机关（户籍所在地或经常居住地派出所）",
        "本人持居民身份证到户籍所在地或居住地派出所申请开具，也可通过公安机关的政务服务平台在线申请。",
    ),
    (
        "社区戒毒社区康复人员情况证明",
        "戒毒、社区康复、吸毒",
        N,
        "街道办事处、乡镇政府（社区戒毒社区康复工作机构）、公安机关",
        "由负责社区戒毒、社区康复的街道办事处或乡镇政府及公安机关出具。",
    ),
    (
        "人员失踪证明",
        "失踪、下落不明、走失",
        N,
        "公安机关（报案）、人民法院（宣告失踪）",
        "人员走失请向公安机关报案并取得报案回执；需要法律上认定失踪的，向人民法院申请宣告失踪。",
    ),
    (
        "婚姻状况证明",
        "未婚、已婚、离异、单身、婚姻证明、结过婚、没结婚、未结婚、没有结婚、再婚、婚史、婚姻状况",
        N,
        "婚姻登记机关（区民政局婚姻登记处）",
        "已婚、离婚用结婚证、离婚证或判决书证明；需要查询婚姻登记记录的，到婚姻登记机关申请；无婚姻登记记录可以本人书面承诺。",
    ),
    (
        "出生证明",
        "出生、出生医学证明",
        N,
        "助产医疗机构（出生医学证明）、卫生健康部门",
        "出生医学证明由助产的医疗机构签发；遗失的到原签发机构申请补发。",
    ),
    (
        "健在证明",
        "活着、生存证明、在世、生存认证",
        N,
        "需要证明的单位自行核验（如人社部门养老金领取资格认证）",
        "领取养老金等待遇的资格认证由人社部门通过人脸识别等方式办理，本人到场或视频认证即可，无需居委会证明。",
    ),
    (
        "死亡证明",
        "死亡、去世、过世、殡葬",
        N,
        "医疗机构（死亡医学证明）、公安机关、殡葬服务机构",
        "在医疗机构死亡的由医疗机构出具死亡医学证明；在家中正常死亡的由社区卫生服务机构等按规定出具；非正常死亡由公安机关出具。",
    ),
    (
        "疾病状况证明",
        "疾病、病情、患病、身体状况、健康状况",
        N,
        "医疗机构",
        "到就诊的医疗机构开具诊断证明或病历。",
    ),
    (
        "残疾状况证明",
        "残疾、残疾人、伤残",
        N,
        "残疾人联合会（残疾人证）、指定评定医疗机构",
        "持残疾人证证明；尚未办证的，向户籍所在地区残联申请残疾评定和办证。",
    ),
    (
        "婚育状况证明",
        "生育、计划生育、婚育、独生子女",
        N,
        "卫生健康部门（生育登记服务）",
        "生育情况通过卫生健康部门的生育登记服务办理，或由本人书面承诺，无需居委会证明。",
    ),
    (
        "就业状况证明",
        "失业、就业、无业、待业、在职",
        N,
        "人力资源和社会保障部门（公共就业服务机构）",
        "到公共就业服务机构办理就业失业登记或在线查询；在职情况由用人单位证明。",
    ),
    (
        "个人档案证明",
        "档案、人事档案",
        N,
        "档案保管单位（人才服务中心、用人单位、学校）",
        "向保管本人档案的单位申请出具。",
    ),
    (
        "财产证明（经济状况、收入、房产、存款、车辆等）",
        "财产、收入、房产、住房情况、存款、车辆、经济状况、工资、无房、一套房、几套房、名下房",
        N,
        "不动产登记机构、开户银行、公安交管部门、用人单位或税务部门、民政部门（居民家庭经济状况核对）",
        "房产到不动产登记机构查询，存款到开户银行开具，车辆到公安交管部门查询，收入由用人单位或个人所得税纳税记录证明；"
        "申请社会救助的经济状况由民政部门核对。",
    ),
    (
        "遗产继承权证明",
        "继承、遗产、继承权",
        N,
        "公证机构、人民法院",
        "办理继承权公证，或向人民法院起诉确认继承权。",
    ),
    (
        "市场主体住所证明",
        "住所证明、注册地址、经营场所、营业执照地址",
        N,
        "市场监督管理部门",
        "按住所（经营场所）申报承诺制，向市场监督管理部门提交住所使用证明或书面承诺，无需居委会证明。",
    ),
    (
        "证件遗失证明",
        "遗失、丢失、补办证件",
        N,
        "证件的发放机关（身份证：公安派出所）",
        "直接到证件发放机关挂失、补办；需要登报声明的按发放机关要求办理。",
    ),
    (
        "学历证明",
        "学历、毕业、学位",
        T,
        "毕业学校、教育行政部门（学信网）",
        "学历可在中国高等教育学生信息网查询认证，或由毕业学校、教育部门出具。",
    ),
    (
        "工作经历证明",
        "工作经历、工作经验、工龄",
        T,
        "原工作单位、人力资源和社会保障部门（社保缴费记录）",
        "由原工作单位出具；也可打印社会保险参保缴费记录作为工作经历证明。",
    ),
    (
        "户籍情况证明",
        "户籍情况、户籍迁移、落户",
        T,
        "户籍所在地公安派出所",
        "持身份证、户口簿到户籍所在地派出所办理。",
    ),
]


def _demo_id(prefix: str) -> str:
    from certificates.personal import id_check_char

    return prefix + id_check_char(prefix)


def demo_image(color=(210, 225, 240), text: str = "") -> io.BytesIO:
    """A small PNG standing in for a scan in demo data and tests."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 200), color)
    ImageDraw.Draw(img).rectangle([10, 10, 310, 190], outline=(40, 60, 90), width=3)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    buf.seek(0)
    buf.name = f"{text or 'scan'}.png"
    return buf


def load_catalogue() -> None:
    from certificates.models import BarredCertificate, CertificateType

    for row in CERTIFICATE_TYPES:
        CertificateType.objects.update_or_create(code=row["code"], defaults=row)
    for i, (name, keywords, source, agency, guidance) in enumerate(BARRED, start=1):
        BarredCertificate.objects.update_or_create(
            name=name,
            defaults={
                "keywords": keywords,
                "source": source,
                "agency": agency,
                "guidance": guidance,
                "order": i,
            },
        )


def load_demo() -> None:
    from certificates import services
    from certificates.models import CertificateApplication
    from certificates.schemas import ApplicationInput, ApplicationSchema, ReviewSchema
    from portal.models import User

    load_catalogue()
    resident = User.objects.filter(username="resident").first()
    staff = User.objects.filter(username="community_staff").first()
    if (
        resident is None
        or staff is None
        or CertificateApplication.objects.filter(applicant=resident).exists()
    ):
        return

    def files():
        return [
            services.Upload(AttachmentKind.ID_FRONT, demo_image(text="id-front")),
            services.Upload(AttachmentKind.ID_BACK, demo_image(text="id-back")),
            services.Upload(AttachmentKind.HOUSEHOLD, demo_image(text="household")),
        ]

    def application(type_code: str, reason: str, purpose: str) -> ApplicationInput:
        return ApplicationSchema.parse(
            {
                "type": type_code,
                "community": "120103001001",
                "applicant_name": resident.real_name,
                "id_number": _demo_id("12010319850612301"),
                "reason": reason,
                "purpose": purpose,
                "pledge": True,
            }
        )

    issued = services.application_create(
        user=resident,
        data=application("residence", "在本社区居住满三年，子女入学需要提供居住证明。", "办理子女小学入学"),
        files=files(),
    )
    services.application_review(
        user=staff,
        application_id=issued.pk,
        data=ReviewSchema.parse({"decision": "approve", "comment": "材料齐全，情况属实。"}),
    )
    services.application_create(
        user=resident,
        data=application("participation", "2025年参加社区志愿巡逻和垃圾分类宣传共12次。", "单位评优材料"),
        files=files(),
    )
