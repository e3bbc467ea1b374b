"""Each person's workbench on the demo province: their own tasks first (core.workbench, built
from the modules' cards), a crawl of every link of every role's menu and home page, and the
demo enterprise account's whole file (一企一档) with every panel holding real data."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gaoxin.core.models import User
from gaoxin.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db

ROLES = ("admin", "province", "zone_admin", "staff", "leader", "enterprise", "zhaoshang")
HOME = "/"
# A workbench reads each card's few rows: bounded, whatever the zone's size.
MAX_HOME_QUERIES = 40


class _Links(HTMLParser):
    """The page's own links (same site), and those inside its tabs (`nav-tabs`, `nav-pills`)."""

    def __init__(self):
        super().__init__()
        self.found, self.tabs, self._open = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ul":
            classes = (attrs.get("class") or "").split()
            self._open.append(bool({"nav-tabs", "nav-pills"} & set(classes)))
        href = attrs.get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith("//"):
            self.found.append(href)
            if any(self._open):
                self.tabs.append(href)

    def handle_endtag(self, tag):
        if tag == "ul" and self._open:
            self._open.pop()


def links(html: str, *, tabs: bool = False) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.tabs if tabs else parser.found


def cards(html: str) -> list[str]:
    return re.findall(r'id="card-([\w-]+)"', html)


def card_text(html: str, key: str) -> str:
    start = html.index(f'id="card-{key}"')
    return re.sub(r"<[^>]+>", " ", html[start : html.index("</section>", start)])


def signed_in(client, username):
    client.force_login(User.objects.get(username=username))
    client.get(HOME)  # the first request writes the session; the counts below are the page's
    return client


def test_each_role_meets_its_own_work_first(demo, client):
    expected = {
        "enterprise": [
            "notifications",
            "my-enterprise",
            "inbox",
            "my-returns",
            "investor-projects",
            "utilities-mine",
        ],
        "leader": [
            "notifications",
            "economy",
            "investment",
            "inbox",
            "matters",
            "innovation-figures",
            "utilities-figures",
        ],
        "staff": ["notifications", "inbox", "my-projects", "review", "utilities"],
        "province": ["notifications", "economy", "investment", "inbox", "matters"],
    }
    for username, keys in expected.items():
        client = signed_in(client, username)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(HOME)
        assert response.status_code == 200, username
        html = response.content.decode()
        assert cards(html) == keys, username
        assert len(queries) <= MAX_HOME_QUERIES, (username, len(queries))
        # Zone-wide charts are for the government side, never for an enterprise.
        assert ('id="stat-total"' in html) is (username != "enterprise"), username
        client.logout()


def test_the_enterprise_sees_its_returns_due_sent_back_and_who_reminded_it(demo, client):
    html = signed_in(client, "enterprise").get(HOME).content.decode()
    returns = card_text(html, "my-returns")
    assert "2026-10 月报" in returns and "已逾期" in returns  # the demo's overdue draft
    assert "2026-11 月报" in returns and "待填报" in returns
    officer = User.objects.get(username="staff").display_name
    assert f"{officer} " in returns and "催报" in returns  # who reminded it, and when
    # The 催报 reached the bell: the notifications card opens the returns page.
    assert "催报" in card_text(html, "notifications")
    assert reverse("statistics:my") in html
    # Its own projects, by stage; nothing of the zone's pipeline.
    projects = card_text(html, "investor-projects")
    assert "鸿泰光电" in projects and "开工" in projects


def test_the_leader_sees_key_figures_with_growth_and_click_through(demo, client):
    html = signed_in(client, "leader").get(HOME).content.decode()
    economy = card_text(html, "economy")
    assert "工业总产值" in economy and "同比" in economy and "亿元" in economy
    assert "待处理数据问题" in economy
    investment = card_text(html, "investment")
    assert "签约项目" in investment and "开工项目" in investment and "投产项目" in investment
    matters = card_text(html, "matters")
    assert "逾期" in matters and "升级督办" in matters
    assert f"{reverse('statistics:cockpit')}?period=" in html
    assert f"{reverse('investment:projects')}?start=" in html
    assert f"{reverse('matters:list')}?status=" in html


def test_an_officer_sees_the_returns_to_review_and_the_projects_behind_first(demo, client):
    html = signed_in(client, "staff").get(HOME).content.decode()
    review = card_text(html, "review")
    assert "待审核" in review and "未报企业" in review
    projects = card_text(html, "my-projects")
    first = re.search(r"<li.*?</li>", html[html.index('id="card-my-projects"') :], re.S).group()
    assert "承诺逾期" in projects and "承诺逾期" in first  # red first


@pytest.mark.engine("sqlite")
@pytest.mark.parametrize("username", ROLES)
def test_every_link_of_the_menu_and_the_home_page_opens(demo, client, username):
    """Every link on the role's home page and menu, and every tab of the pages those open,
    answers without a 404 or a 500 for that role."""
    client = signed_in(client, username)
    seen, broken = {HOME}, []
    first = [link for link in links(client.get(HOME).content.decode()) if "logout" not in link]
    for link in first:
        if link in seen:
            continue
        seen.add(link)
        response = client.get(link)
        if response.status_code >= 400:
            broken.append((link, response.status_code, HOME))
            continue
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for inner in links(response.content.decode(), tabs=True):
                if inner in seen or "logout" in inner:
                    continue
                seen.add(inner)
                status = client.get(inner).status_code
                if status >= 400:
                    broken.append((inner, status, link))
    assert not broken, broken
    assert len(seen) > 10


def test_the_enterprise_account_finds_its_whole_file(demo, client):
    own = Enterprise.objects.get(name="江西鸿泰光电科技有限公司")
    html = signed_in(client, "enterprise").get(reverse("enterprises:detail", args=[own.pk]))
    html = html.content.decode()
    for panel in (
        "panel-investment",  # its projects
        "panel-statistics-figures",  # its indicators with growth
        "chart-enterprise-trend",  # and their monthly trend
        "panel-matters",  # its open request
        "panel-rated",  # the matters it rated
        "panel-assistance",  # awards, loans, job-fair offers
    ):
        assert f'id="{panel}"' in html, panel
    assistance = html[html.index('id="panel-assistance"') :]
    assert "政策兑现" in assistance and "融资贷款" in assistance and "招聘会岗位" in assistance
    assert "★★★★★" in html  # its rating
    assert "工业总产值" in html and "同比" in html


def test_the_enterprise_reads_no_other_enterprises_help(demo, client):
    from gaoxin.matters.models import Award

    own = Enterprise.objects.get(name="江西鸿泰光电科技有限公司")
    user = User.objects.get(username="enterprise")
    assert Award.objects.restrict(user).exclude(enterprise=own).count() == 0
    assert Award.objects.restrict(user).filter(enterprise=own).exists()
    other = Award.objects.exclude(enterprise=own).first().enterprise
    client = signed_in(client, "enterprise")
    assert client.get(reverse("enterprises:detail", args=[other.pk])).status_code == 404
