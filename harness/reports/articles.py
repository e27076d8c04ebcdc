"""The text of the articles the rules apply, quoted in both languages in every report.

Source: 《移动互联网应用程序信息服务管理规定》(国家互联网信息办公室, 2016), 第七条 (二)、(四).
The Chinese is the authoritative text; the English is this project's translation (DESIGN §1).
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE_ZH = "《移动互联网应用程序信息服务管理规定》（2016年）第七条"
SOURCE_EN = (
    "Provisions on the Management of Mobile Internet Application Information Services "
    "(2016), Article 7"
)


@dataclass(frozen=True)
class Article:
    id: str
    label_zh: str
    label_en: str
    text_zh: str
    text_en: str


ARTICLES: dict[str, Article] = {
    "7.2": Article(
        id="7.2",
        label_zh="第七条第（二）项",
        label_en="Article 7(2)",
        text_zh=(
            "建立健全用户信息安全保护机制，收集、使用用户个人信息应当遵循合法、正当、必要的原则，"
            "明示收集使用信息的目的、方式和范围，并经用户同意。"
        ),
        text_en=(
            "Establish and improve a mechanism protecting users' information; the collection "
            "and use of users' personal information shall follow the principles of legality, "
            "legitimacy and necessity, state clearly the purpose, method and scope of the "
            "collection and use, and obtain the user's consent."
        ),
    ),
    "7.4": Article(
        id="7.4",
        label_zh="第七条第（四）项",
        label_en="Article 7(4)",
        text_zh=(
            "依法保障用户在安装或使用过程中的知情权和选择权，未向用户明示并经用户同意，"
            "不得开启收集地理位置、读取通讯录、使用摄像头、启用录音等功能，"
            "不得开启与服务无关的功能，不得捆绑安装无关的应用程序。"
        ),
        text_en=(
            "Safeguard, in accordance with the law, the user's right to know and right to "
            "choose during installation and use: without clearly informing the user and "
            "obtaining the user's consent, do not turn on functions such as collecting the "
            "geographic location, reading the address book, using the camera or starting "
            "recording; do not turn on functions unrelated to the service; do not "
            "bundle-install unrelated applications."
        ),
    ),
}
