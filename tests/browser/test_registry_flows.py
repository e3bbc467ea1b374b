"""What a person does in the registry, in a real browser."""

from playwright.sync_api import expect

from gaoxin.core.models import AuditRecord
from gaoxin.enterprises.models import Enterprise
from tests.factories import PASSWORD, uscc_for
from tests.support.browser import log_in


def test_login_shows_the_zone_home_in_chinese(page, world):
    log_in(page, "staff", "wrong-password")
    assert "请输入一个正确的" in page.inner_text("#login-error")
    log_in(page, "staff", PASSWORD)
    assert page.inner_text("#zone-title") == world.zone_a.name
    assert page.inner_text("#stat-total") == "2"
    assert AuditRecord.objects.filter(actor_name="staff", action="login").count() == 1
    assert AuditRecord.objects.filter(actor_name="staff", action="login_failed").count() == 1


def test_invalid_uscc_shows_the_check_character_and_saves_nothing(page, world):
    log_in(page, "staff", PASSWORD)
    page.goto(page.base_url + "/enterprises/new/")
    good = uscc_for(55_000_001)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    page.fill("#id_name", "浏览器测试光电有限公司")
    page.fill("#id_uscc", bad)
    page.dispatch_event("#id_uscc", "change")
    # A locator waits without evaluating a string in the page, which the CSP refuses.
    expect(page.locator("#err-uscc")).to_contain_text("应为")
    assert f"第 18 位应为 {good[17]}" in page.inner_text("#err-uscc")
    page.click("#save")
    page.wait_for_load_state()
    assert f"第 18 位应为 {good[17]}" in page.inner_text("#err-uscc")
    assert not Enterprise.objects.filter(name="浏览器测试光电有限公司").exists()


def test_valid_enterprise_saves_and_appears_in_the_list(page, world):
    log_in(page, "staff", PASSWORD)
    page.goto(page.base_url + "/enterprises/new/")
    page.fill("#id_name", "浏览器测试光电有限公司")
    page.fill("#id_uscc", uscc_for(55_000_001).lower())
    page.fill("#id_registered_capital", "3000")
    # the industry picker is searchable: type part of the name, pick the class
    page.click("#id_industry-ts-control")
    page.keyboard.type("显示器件")
    page.click(".ts-dropdown .option[data-value='3974']")
    page.fill("#contacts-0-name".replace("#", "#id_"), "周七")
    page.click("#save")
    page.wait_for_url("**/enterprises/*/")
    assert page.inner_text("#enterprise-name") == "浏览器测试光电有限公司"
    assert page.inner_text("#enterprise-uscc").startswith(uscc_for(55_000_001))
    page.goto(page.base_url + "/enterprises/?q=浏览器")
    assert "浏览器测试光电有限公司" in page.inner_text("#enterprise-table")
    assert page.inner_text("#result-count") == "1 家"


def test_the_industry_filter_searches_the_codes_as_one_types(page, world):
    log_in(page, "staff", PASSWORD)
    page.goto(page.base_url + "/enterprises/")
    assert page.locator("#id_industry option").count() == 1  # 全部行业: the codes are searched
    page.click("#id_industry-ts-control")
    page.keyboard.type("显示器件")
    page.click(".ts-dropdown .option[data-value='3974']")
    page.click("#filter-submit")
    page.wait_for_url("**/enterprises/?*industry=3974*")
    expect(page.locator("#id_industry")).to_have_value("3974")
    assert page.locator("#id_industry option").count() == 2  # and the chosen one, written again


def test_enterprise_user_sees_only_their_own(page, world):
    log_in(page, "enterprise", PASSWORD)
    page.goto(page.base_url + "/enterprises/")
    table = page.inner_text("#enterprise-table")
    assert world.a1.name in table and world.a2.name not in table
    response = page.goto(page.base_url + f"/enterprises/{world.a2.pk}/")
    assert response.status == 404


def _import_workbook(path, rows):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["企业名称", "统一社会信用代码", "行业代码", "注册资本(万元)", "成立日期"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_import_with_one_bad_row_writes_nothing_and_names_the_cell(page, world, tmp_path):
    log_in(page, "staff", PASSWORD)
    good = [uscc_for(66_000_000 + i) for i in range(3)]
    bad = good[1][:17] + ("0" if good[1][17] != "0" else "1")
    rows = [
        ["导入一号科技有限公司", good[0], "3974", "1.2亿", "2019年11月3日"],
        ["导入二号科技有限公司", bad, "3974", "500", "2018-01-01"],
        ["导入三号科技有限公司", good[2], "3974", "８００", "2017.5.6"],
    ]
    page.goto(page.base_url + "/enterprises/import/")
    page.set_input_files("#id_file", str(_import_workbook(tmp_path / "企业.xlsx", rows)))
    page.click("#import-submit")
    page.wait_for_selector("#import-summary")
    errors = page.inner_text("#import-errors")
    assert "3" in errors and "统一社会信用代码" in errors and f"应为 {good[1][17]}" in errors
    assert page.is_visible("#errors-workbook")
    assert not Enterprise.objects.filter(name__startswith="导入").exists()

    rows[1][1] = good[1]  # fixed: the same file now imports completely
    page.goto(page.base_url + "/enterprises/import/")
    page.set_input_files("#id_file", str(_import_workbook(tmp_path / "企业2.xlsx", rows)))
    page.click("#import-submit")
    page.wait_for_selector("#import-summary.alert-success")
    first = Enterprise.objects.get(name="导入一号科技有限公司")
    assert str(first.registered_capital) == "12000.0000"
    assert Enterprise.objects.filter(name__startswith="导入").count() == 3
