"""Where an investor comes from, as ledgers write it: a province (广东省, 广东, 440000) or a
country or region outside the mainland (德国, 中国香港, 开曼群岛).

Provinces are matched as `references.resolve` matches them (full name, then the short name the
full one starts with, or the GB/T 2260 code); everything else must be a country or region named
below, so a typo ("广栋") is an error instead of a new "country".
"""

import re

from django.utils.translation import gettext as _

from gaoxin.core.spreadsheets.normalize import compact

# Countries and regions by the names Chinese ledgers use; the first name of each line is the one
# stored, the others are aliases.
_REGIONS = """
中国香港 香港地区 中国香港特别行政区 HK
中国澳门 澳门地区 中国澳门特别行政区
中国台湾 台湾地区
美国 美利坚合众国 USA US
加拿大
墨西哥
巴西
阿根廷
智利
秘鲁
哥伦比亚
委内瑞拉
乌拉圭
巴拉圭
玻利维亚
厄瓜多尔
古巴
巴拿马
哥斯达黎加
牙买加
巴哈马
巴巴多斯
特立尼达和多巴哥
英国 大不列颠及北爱尔兰联合王国 UK
爱尔兰
法国
德国 德意志联邦共和国
意大利
西班牙
葡萄牙
荷兰
比利时
卢森堡
瑞士
奥地利
列支敦士登
摩纳哥
安道尔
圣马力诺
梵蒂冈
丹麦
瑞典
挪威
芬兰
冰岛
波兰
捷克
斯洛伐克
匈牙利
罗马尼亚
保加利亚
希腊
塞浦路斯
马耳他
斯洛文尼亚
克罗地亚
塞尔维亚
黑山
波黑 波斯尼亚和黑塞哥维那
北马其顿 马其顿
阿尔巴尼亚
爱沙尼亚
拉脱维亚
立陶宛
白俄罗斯
乌克兰
摩尔多瓦
俄罗斯 俄罗斯联邦
格鲁吉亚
亚美尼亚
阿塞拜疆
土耳其
哈萨克斯坦
乌兹别克斯坦
吉尔吉斯斯坦
塔吉克斯坦
土库曼斯坦
蒙古 蒙古国
日本
韩国 大韩民国 南韩
朝鲜
越南
老挝
柬埔寨
泰国
缅甸
马来西亚
新加坡
印度尼西亚 印尼
菲律宾
文莱
东帝汶
印度
巴基斯坦
孟加拉国 孟加拉
斯里兰卡
尼泊尔
不丹
马尔代夫
阿富汗
伊朗
伊拉克
叙利亚
约旦
黎巴嫩
以色列
巴勒斯坦
沙特阿拉伯 沙特
阿联酋 阿拉伯联合酋长国
卡塔尔
科威特
巴林
阿曼
也门
埃及
利比亚
突尼斯
阿尔及利亚
摩洛哥
苏丹
埃塞俄比亚
肯尼亚
坦桑尼亚
乌干达
卢旺达
尼日利亚
加纳
科特迪瓦
塞内加尔
喀麦隆
刚果(金) 刚果民主共和国
刚果(布) 刚果共和国
安哥拉
赞比亚
津巴布韦
莫桑比克
马达加斯加
纳米比亚
博茨瓦纳
南非
毛里求斯
塞舌尔
澳大利亚 澳洲
新西兰
斐济
巴布亚新几内亚
萨摩亚
开曼群岛 开曼
英属维尔京群岛 维尔京群岛 BVI
百慕大 百慕大群岛
""".strip().splitlines()

COUNTRIES: dict[str, str] = {}
for _line in _REGIONS:
    _names = _line.split()
    for _name in _names:
        COUNTRIES.setdefault(compact(_name).upper(), _names[0])
# A province-level suffix: text ending in one of these was meant as a province.
_PROVINCE_LIKE = re.compile(r"(省|市|自治区|特别行政区)$")


class Origins:
    """Resolves 投资方来源 cells with the provinces and divisions read once for the whole file."""

    def __init__(self, provinces, divisions=()):
        """provinces: Division rows of level province; divisions: (name, province_code) of the
        lower levels, to say which province a city belongs to."""
        self.provinces = list(provinces)
        self.by_code = {p.code: p for p in self.provinces}
        self.by_name = {p.name: p for p in self.provinces}
        self.province_of: dict[str, str] = {}
        for name, province_code in divisions:
            self.province_of.setdefault(name, province_code)

    def province(self, text: str):
        """The province as `references._province` finds it, or None."""
        if text.isdigit():
            return self.by_code.get(text[:2] + "0000")
        if text in self.by_name:
            return self.by_name[text]
        return next((p for p in self.provinces if p.name.startswith(text)), None)

    def resolve(self, value: str):
        """(province, country) with one of them set; raises ValueError with a Chinese reason."""
        text = compact(value)
        if not text:
            return None, ""
        province = self.province(text)
        if province is not None:
            return province, ""
        country = COUNTRIES.get(text.upper())
        if country is not None:
            return None, country
        if text in ("中国", "中华人民共和国", "国内", "内地"):
            raise ValueError(_("请填写投资方所在的具体省份,如 广东省"))
        city_province = self.province_of.get(text) or self.province_of.get(text + "市")
        if city_province and city_province in self.by_code:
            raise ValueError(
                _("「%(v)s」是地市或区县,请填写其所在省份「%(p)s」")
                % {"v": value, "p": self.by_code[city_province].name}
            )
        if _PROVINCE_LIKE.search(text):
            raise ValueError(_("未找到省份「%(v)s」") % {"v": value})
        raise ValueError(
            _(
                "「%(v)s」既不是省份,也不是可识别的国家或地区:省内外投资方填写省份,如 广东省 或"
                " 广东;境外投资方填写国家或地区,如 德国、中国香港"
            )
            % {"v": value}
        )
