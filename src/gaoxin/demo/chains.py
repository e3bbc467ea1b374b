"""The demo province's industry chains: which GB/T 4754-2017 classes (小类) make up each chain, how
common each is, and the words a company name in that class uses ("光电科技", "纺织", "跨境电子商务").
The steps read them as `demo.chains` (context.py)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One industry class within a chain."""

    code: str  # GB/T 4754-2017 4-digit class
    weight: int
    words: tuple[str, ...]  # industry words of a company name in this class
    high_tech_odds: float = 0.0  # relative chance of holding high-tech certification


ELECTRONICS = "电子信息"
TEXTILES = "纺织服装"
MATERIALS = "新材料"
CROSS_BORDER = "跨境电商"
SMART_MANUFACTURING = "智能制造"
BIOMEDICINE = "生物医药"
OTHER = ""  # enterprises outside the zone's chains carry no chain tag

CHAINS: dict[str, tuple[Line, ...]] = {
    ELECTRONICS: (
        Line("3974", 28, ("光电科技", "显示科技", "光电显示", "液晶显示", "触控显示"), 1.0),
        Line("3051", 14, ("电子玻璃", "玻璃科技", "玻璃制品"), 0.8),
        Line("3042", 6, ("特种玻璃", "超薄玻璃"), 0.8),
        Line("3976", 10, ("光电子", "光电器件", "光通信器件"), 1.0),
        Line("3982", 12, ("电路科技", "线路板", "电子电路"), 0.8),
        Line("3981", 6, ("电子元件", "电容器"), 0.6),
        Line("3983", 5, ("传感科技", "传感器"), 1.0),
        Line("3922", 6, ("通讯设备", "通信科技", "智能终端"), 0.8),
        Line("3975", 5, ("半导体照明",), 0.8),
        Line("3984", 3, ("电声科技", "声学科技"), 0.6),
        Line("3990", 5, ("电子科技", "电子设备"), 0.6),
    ),
    TEXTILES: (
        Line("1711", 10, ("棉纺", "纺纱", "纺织"), 0.05),
        Line("1712", 6, ("织造", "纺织"), 0.05),
        Line("1713", 4, ("印染",), 0.05),
        Line("1751", 5, ("化纤织造", "化纤"), 0.1),
        Line("1761", 6, ("针织", "针纺"), 0.05),
        Line("1811", 6, ("运动服饰", "户外服饰"), 0.05),
        Line("1819", 30, ("服饰", "服装", "制衣", "时装"), 0.02),
        Line("1821", 6, ("针织服饰", "休闲服饰"), 0.02),
        Line("1829", 5, ("针织服装", "内衣"), 0.02),
        Line("1830", 5, ("服饰用品", "帽业"), 0.02),
        Line("1941", 2, ("羽绒",), 0.02),
        Line("1942", 6, ("羽绒制品",), 0.05),
    ),
    MATERIALS: (
        Line("2651", 8, ("高分子材料", "树脂"), 0.7),
        Line("2659", 6, ("复合材料", "新材料"), 0.7),
        Line("2661", 6, ("化学助剂", "精细化工"), 0.5),
        Line("2662", 4, ("化学品",), 0.4),
        Line("3091", 8, ("碳素", "石墨科技", "碳材料"), 0.7),
        Line("3240", 6, ("合金材料", "合金科技"), 0.6),
        Line("3252", 6, ("铝业", "铝材"), 0.4),
        Line("3254", 5, ("稀土新材料", "稀有金属"), 0.7),
        Line("2921", 6, ("薄膜", "膜材料"), 0.5),
        Line("3985", 8, ("电子材料", "电子新材料"), 0.8),
        Line("3099", 4, ("无机材料", "非金属材料"), 0.4),
    ),
    CROSS_BORDER: (
        Line("5292", 30, ("跨境电子商务", "电子商务", "网络科技"), 0.02),
        Line("5193", 12, ("供应链", "电子商务"), 0.02),
        Line("5181", 8, ("进出口", "国际贸易"), 0.0),
        Line("5821", 8, ("国际物流", "国际货运代理"), 0.0),
        Line("5920", 4, ("仓储服务", "仓储物流"), 0.0),
    ),
    SMART_MANUFACTURING: (
        Line("3491", 10, ("机器人科技", "机器人"), 1.0),
        Line("3499", 10, ("机械", "机械设备"), 0.4),
        Line("3562", 4, ("半导体设备",), 1.0),
        Line("3563", 6, ("自动化设备", "智能设备"), 0.8),
        Line("3569", 5, ("电子装备",), 0.7),
        Line("3525", 8, ("模具", "精密模具"), 0.5),
        Line("4011", 8, ("自动化科技", "智能控制"), 0.9),
        Line("3421", 4, ("数控机床", "机床"), 0.7),
        Line("3444", 4, ("液压", "液压科技"), 0.6),
        Line("3813", 5, ("电机", "微电机"), 0.6),
        Line("3599", 6, ("智能装备", "装备制造"), 0.7),
    ),
    BIOMEDICINE: (
        Line("2720", 4, ("药业", "制药"), 1.0),
        Line("2740", 5, ("中药", "药业"), 0.8),
        Line("2761", 3, ("生物制药", "生物医药"), 1.0),
        Line("2770", 4, ("医疗用品", "卫材"), 0.6),
        Line("3584", 4, ("医疗器械",), 1.0),
        Line("3589", 2, ("医疗设备", "医疗科技"), 1.0),
    ),
    OTHER: (
        Line("2231", 6, ("包装", "纸制品"), 0.1),
        Line("2319", 4, ("印务", "印刷"), 0.1),
        Line("3311", 5, ("钢结构", "钢构"), 0.1),
        Line("1495", 3, ("食品科技",), 0.3),
        Line("6513", 6, ("软件", "信息技术"), 0.8),
    ),
}


def is_industrial(code: str) -> bool:
    """Mining, manufacturing and utilities (GB/T 4754 大类 06–46): only these can be 规上工业."""
    return 6 <= int(code[:2]) <= 46


def all_codes() -> set[str]:
    return {line.code for lines in CHAINS.values() for line in lines}
