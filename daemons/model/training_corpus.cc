// Written for HAI; not taken from any document. Changing it changes every
// tokenizer hai-model init makes (and so the bytes of its output).
#include "daemons/model/training_corpus.h"

namespace hai::model {

namespace {

constexpr std::string_view kCorpus = R"corpus(
Admission note. The patient, a 67-year-old man, was admitted to Ward 7B at 14:30 on 2024-03-18
with shortness of breath, a productive cough and a temperature of 38.6 °C. Blood pressure was
142/88 mmHg, heart rate 104 bpm, respiratory rate 24 per minute and oxygen saturation 91% on room
air. He has a history of type 2 diabetes, hypertension and chronic obstructive pulmonary disease.
Current medication: metformin 500 mg twice daily, amlodipine 5 mg once daily, and a salbutamol
inhaler as needed. Chest X-ray showed consolidation in the right lower lobe. The working diagnosis
is community-acquired pneumonia. Plan: blood cultures, sputum culture, full blood count, C-reactive
protein, renal function; start amoxicillin-clavulanate 1.2 g IV every 8 hours; oxygen to keep
saturation between 88% and 92%; review by the respiratory team tomorrow morning.

Nursing handover, night shift. Bed 12: post-operative day 2 after a laparoscopic cholecystectomy,
pain score 3/10, tolerating a light diet, wound clean and dry. Bed 14: fall risk assessed as high;
bed rails up, call bell within reach, family informed. Bed 15: insulin sliding scale; glucose at
22:00 was 11.2 mmol/L, at 02:00 was 8.4 mmol/L. Bed 16: awaiting discharge summary and pharmacy
review of take-home medicines. Please check the controlled drugs register before 07:00.

Outpatient clinic letter. Dear Dr Chen, thank you for referring Mrs Li, aged 54, who attended the
endocrinology clinic on 12 April. Her HbA1c has improved from 9.1% to 7.4% over six months. We
have increased her dose of sitagliptin and asked her to continue the diet plan agreed with the
dietitian. Her thyroid function is normal. We will see her again in three months; please repeat
the kidney function test before that visit. Yours sincerely, Department of Endocrinology.

Hospital administration. The bed occupancy rate for the first quarter was 93.5%, above the target
of 85%. Average length of stay fell from 8.2 days to 7.6 days. The emergency department saw 41,280
patients, of whom 18% were admitted. The finance office reports that outpatient revenue increased
by 6.3% while drug costs fell by 2.1% after the new procurement contract. The medical records
department must complete coding of discharged cases within 7 working days. Staff who have not
finished the annual infection-control training must do so before 30 June. The quality committee
will review all unplanned returns to theatre and all readmissions within 30 days.

Information security notice. Patient data must not leave the hospital network. Do not paste
medical records, names, ID numbers or test results into external websites or public chat
services. The AI assistant on the internal portal runs on hospital servers; its answers must be
checked by a clinician before they are used in care. Report any suspected data leak to the
information department on extension 8021.

入院记录。患者男，67岁，因“咳嗽、咳痰伴气促3天”于2024年3月18日14时30分收入呼吸内科7B病区。
体温38.6℃，脉搏104次/分，呼吸24次/分，血压142/88 mmHg，未吸氧状态下血氧饱和度91%。既往有2型糖尿病、
高血压及慢性阻塞性肺疾病病史。目前用药：二甲双胍500 mg，每日两次；氨氯地平5 mg，每日一次；必要时吸入
沙丁胺醇。胸部X线片提示右下肺实变影。初步诊断：社区获得性肺炎。诊疗计划：完善血培养、痰培养、血常规、
C反应蛋白及肾功能检查；予阿莫西林克拉维酸钾1.2 g静脉滴注，每8小时一次；氧疗使血氧饱和度维持在88%至92%；
明日上午请呼吸科会诊。

护理交班记录（夜班）。12床：腹腔镜胆囊切除术后第2天，疼痛评分3分，已进半流质饮食，伤口清洁干燥。
14床：跌倒风险评估为高风险，已拉起床栏，呼叫器放在患者手边，已告知家属。15床：胰岛素按血糖调整剂量，
22时血糖11.2 mmol/L，2时血糖8.4 mmol/L。16床：等待出院小结及药师审核出院带药。请于7时前核对麻醉药品
和精神药品登记本。

门诊病历。患者女，54岁，内分泌科门诊复诊。近六个月糖化血红蛋白由9.1%降至7.4%。嘱继续糖尿病饮食，
适当运动，调整西格列汀剂量。甲状腺功能正常。三个月后复诊，复诊前复查肾功能。如出现心慌、出汗、
头晕等低血糖症状，请及时就诊。

医院管理通报。第一季度全院床位使用率为93.5%，高于85%的目标值；平均住院日由8.2天下降至7.6天。急诊科
接诊患者41280人次，收住院比例为18%。财务处报告：门诊收入同比增长6.3%，新的集中采购合同执行后药品费用
下降2.1%。病案室须在患者出院后7个工作日内完成病案编码。尚未完成年度院感培训的职工，须在6月30日前完成。
医疗质量管理委员会将对非计划再次手术和30天内再入院病例逐一进行评审。

信息安全提示。患者数据不得离开医院内网。请勿将病历、姓名、身份证号或检验结果粘贴到外部网站或公共聊天
服务中。内部门户上的人工智能助手运行在医院自己的服务器上，其回答在用于诊疗前必须由临床医生审核。如发现
疑似数据泄露，请立即拨打信息科电话8021报告。

Frequently asked questions. How do I book a follow-up appointment? Use the self-service kiosk in
the outpatient hall, the hospital app, or call 0755-8888-1234 between 08:00 and 17:30. Where can I
get a copy of my medical record? Bring your ID card to the medical records office, room 105,
building 2. How long are test results kept? Laboratory results are kept for at least 15 years.
Can a relative collect my prescription? Yes, with a signed authorisation form and their own ID.

常见问题。如何预约复诊？可通过门诊大厅自助机、医院App或拨打0755-8888-1234预约，服务时间为8:00至17:30。
如何复印病历？请携带本人身份证到2号楼105室病案室办理。检验报告保存多久？检验结果至少保存15年。
家属可以代取药品吗？可以，须提供签字的授权委托书及代办人身份证件。

Discharge summary. Diagnosis: acute ischaemic stroke, left middle cerebral artery territory.
Treatment: intravenous thrombolysis within 3.5 hours of onset, then aspirin 100 mg and atorvastatin
40 mg daily. Outcome: speech improved, right arm strength 4/5 at discharge. Follow-up: neurology
clinic in 2 weeks, rehabilitation three times a week, blood pressure target below 130/80 mmHg.

出院小结。出院诊断：急性缺血性脑卒中（左侧大脑中动脉供血区）。治疗经过：发病3.5小时内予静脉溶栓，
随后口服阿司匹林100 mg及阿托伐他汀40 mg，每日一次。出院情况：言语较前好转，右上肢肌力4级。随访建议：
2周后神经内科门诊复诊，每周康复训练3次，血压控制目标低于130/80 mmHg。

Numbers and codes: 0 1 2 3 4 5 6 7 8 9 10 20 50 100 250 500 1000 2024 2025 3.14 0.5 1.25 99.9%
ICD-10 J18.9, I63.3, E11.9, I10; room A-301, B-214, C-117; order #20240318-0042; 5 mL, 10 mg/kg,
0.9% saline 250 mL; q8h, q12h, b.i.d., t.i.d., p.r.n.; (a) [b] {c} <d> "quoted" 'single' - _ / \ |
@ # $ % ^ & * + = ~ ` ! ? ; : , . … — “中文引号” ‘单引号’ 《病历书写规范》 【注意】 、 ；：！？
)corpus";

}  // namespace

std::string_view TrainingCorpus() { return kCorpus; }

}  // namespace hai::model
