"""Strategies 1 and 3: log a rejection, reflect on it, find the lesson again."""
import re

from playwright.sync_api import expect


def test_sign_up_log_rejection_and_lesson_survive_reload(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab, name="Sam")
    rebound.log_rejection(tab, "Northwind", role="Designer", stage="Interview", mood="Low",
                      emotions=["Disappointed", "Anxious"], feelings="Gutted, honestly.")
    response = page.locator(".response")
    expect(response).to_contain_text("Northwind")
    expect(response).to_contain_text("disappointed and anxious")

    page.get_by_role("link", name="Reflect on it").click()
    expect(page.get_by_role("heading", level=1, name="Northwind")).to_be_visible()
    page.get_by_label("What did I learn?").fill("Prepare one story per requirement.")
    page.locator("main h1").click()  # leaving the field saves it

    page.get_by_role("link", name="Journal", exact=True).click()
    page.get_by_role("link", name="Lessons", exact=True).click()
    lessons = page.get_by_role("list", name="Your lessons")
    expect(lessons).to_contain_text("Prepare one story per requirement.")
    expect(lessons).to_contain_text("Northwind")

    page.reload()
    expect(page.get_by_role("list", name="Your lessons")).to_contain_text("Prepare one story per requirement.")

    tab.wait_synced()
    [saved] = tab.api("/api/rejections")
    assert saved["company"] == "Northwind"
    assert saved["stage"] == "interview"
    assert saved["mood"] == 2
    assert sorted(saved["emotions"]) == ["anxious", "disappointed"]
    assert saved["lessons"] == "Prepare one story per requirement."
    assert not tab.errors


def test_today_never_lists_past_rejections(rebound):
    tab = rebound.tab()
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Contoso Ltd", stage="Application")
    tab.page.get_by_role("link", name="Back to Today").click()
    expect(tab.page.get_by_role("heading", name="Your next reminder")).to_be_visible()
    # No list of rejections here.
    expect(tab.page.get_by_role("list", name="Your rejections")).to_have_count(0)


def test_today_names_no_past_rejection_once_each_is_dealt_with(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    for company in ("Old One Inc", "Old Two Inc"):
        page.get_by_role("link", name="Today", exact=True).click()
        rebound.log_rejection(tab, company, stage="Application", mood="Okay")
        page.get_by_role("link", name="Reflect on it").click()
        page.get_by_label("What did I learn?").fill("Apply earlier in the week.")
        page.locator("main h1").click()
    page.get_by_role("link", name="Today", exact=True).click()
    expect(page.get_by_role("heading", name="Your next reminder")).to_be_visible()
    main = page.locator("main")
    expect(main).not_to_contain_text("Old One Inc")
    expect(main).not_to_contain_text("Old Two Inc")
    expect(main.locator("a[href^='/rejections']")).to_have_count(0)


def test_company_is_the_only_required_field(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    page.get_by_role("button", name="Log a rejection").click()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("That’s the only thing we need")).to_be_visible()
    expect(page.get_by_label("Company")).to_be_focused()
    page.get_by_label("Company").fill("Fabrikam")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Thank you for writing it down")).to_be_visible()


def test_feedback_helper_builds_the_email(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab, name="Robin")
    rebound.log_rejection(tab, "Tailspin", role="Data Analyst", stage="Final round")
    page.get_by_role("link", name="Reflect on it").click()
    email = page.get_by_label("Feedback request email")
    expect(email).to_have_value(re.compile(r"Data Analyst role at Tailspin"))
    expect(email).to_have_value(re.compile(r"final round"))
    expect(email).to_have_value(re.compile(r"Robin$"))
    mailto = page.get_by_role("link", name="Open in email app")
    expect(mailto).to_have_attribute("href", re.compile(r"^mailto:\?subject=.*Tailspin.*&body="))
    page.get_by_role("radio", name="Asked", exact=True).check()
    expect(page.get_by_text(re.compile(r"^Asked on"))).to_be_visible()
    page.get_by_label("Feedback you received").fill("Strong portfolio; wanted more SQL.")
    page.get_by_role("checkbox", name=re.compile("Catastrophizing")).check()
    expect(page.get_by_text("What is the most likely outcome")).to_be_visible()
    page.get_by_label("A kinder, truer way to see it").fill("One final round means I am close.")
    page.locator("main h1").click()
    tab.wait_synced()
    [saved] = tab.api("/api/rejections")
    assert saved["feedback_status"] == "requested"
    assert saved["feedback_requested_on"]
    assert saved["feedback"] == "Strong portfolio; wanted more SQL."
    assert saved["thinking_traps"] == ["catastrophizing"]
    assert saved["reframe"] == "One final round means I am close."


def sends_a_delete(request):
    return request.url.endswith("/api/sync") and '"op":"delete"' in (request.post_data or "")


def test_delete_can_be_undone_and_then_reaches_the_server(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Keep Me")
    page.get_by_role("link", name="Back to Today").click()
    rebound.log_rejection(tab, "Delete Me")
    tab.wait_synced()
    rebound.open_rejection(tab, "Keep Me")
    page.get_by_role("button", name="Delete this rejection").click()
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("list", name="Your rejections")).to_contain_text("Keep Me")
    rebound.open_rejection(tab, "Delete Me")
    # The 5 s hold runs on a paused fake clock, so a busy machine cannot blur it.
    page.clock.install()
    page.clock.pause_at(page.evaluate("Date.now()") + 1_000)
    deletes = []
    page.on("request", lambda request: deletes.append(request) if sends_a_delete(request) else None)
    page.get_by_role("button", name="Delete this rejection").click()
    expect(page.get_by_role("list", name="Your rejections")).not_to_contain_text("Delete Me")
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    page.clock.run_for(4_500)
    page.wait_for_timeout(500)  # real time for anything the 4.5 s set off; page time stands still
    # Still held for Undo: the server has not been told yet.
    assert deletes == []
    assert sorted(r["company"] for r in tab.api("/api/rejections")) == ["Delete Me", "Keep Me"]
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    with page.expect_request(sends_a_delete):
        page.clock.run_for(1_000)  # past the 5 s: the toast goes and the delete is sent
    expect(page.get_by_role("button", name="Undo")).to_have_count(0)
    page.clock.resume()
    tab.wait_synced()
    companies = [r["company"] for r in tab.api("/api/rejections")]
    assert companies == ["Keep Me"]


def test_refused_change_is_shown_on_its_record_and_can_be_discarded(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Strict Co", mood="Okay")
    page.get_by_role("link", name="Reflect on it").click()
    tab.wait_synced()
    # A write the form would never produce, straight into the app's own store module.
    page.evaluate("""async () => {
      const store = await import('/js/store.js');
      const id = location.pathname.split('/').pop();
      await store.save('rejections', id, { mood: 9 });
    }""")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This change couldn’t be saved")
    expect(alert).to_contain_text("mood")
    page.get_by_role("link", name="Journal", exact=True).click()
    expect(page.get_by_role("list", name="Your rejections")).to_contain_text("Not saved — open to fix")
    rebound.open_rejection(tab, "Strict Co")
    page.get_by_role("button", name="Discard my change").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    assert page.evaluate("""async () => (await (await import('/js/store.js')).list('rejections'))[0].mood""") == 3
    [saved] = tab.api("/api/rejections")
    assert saved["mood"] == 3


def test_lessons_are_newest_first_with_their_company(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    for company, lesson in [("First Co", "Sleep before interviews."), ("Second Co", "Research the team.")]:
        page.get_by_role("link", name="Today", exact=True).click()
        rebound.log_rejection(tab, company)
        page.get_by_role("link", name="Reflect on it").click()
        page.get_by_label("What did I learn?").fill(lesson)
        page.locator("main h1").click()
    page.get_by_role("link", name="Journal", exact=True).click()
    page.get_by_role("link", name="Lessons", exact=True).click()
    items = page.get_by_role("list", name="Your lessons").get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Research the team.")
    expect(items.nth(0)).to_contain_text("Second Co")
    expect(items.nth(1)).to_contain_text("Sleep before interviews.")
    expect(items.nth(1)).to_contain_text("First Co")
