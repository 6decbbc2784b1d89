package cn.chuanyu.casetransfer.assistance;

public enum AssistanceType {
    /** 协助调查取证 */
    INVESTIGATION,
    /** 协助送达 */
    SERVICE_OF_DOCUMENTS,
    /** 协助执行 */
    ENFORCEMENT,
    /** 查封冻结 */
    ASSET_FREEZE,
    /** 协查 */
    PERSON_LOCATE
}
