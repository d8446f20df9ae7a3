"""Two devices, one account: edits travel both ways and field-level merge
keeps concurrent edits of different fields of one rejection."""
from playwright.sync_api import expect


def test_edit_on_one_device_appears_on_the_other(rebound):
    phone, laptop = rebound.tab(), rebound.tab()
    email = rebound.sign_up(phone)
    rebound.sign_in(laptop, email)

    rebound.log_rejection(phone, "Shared Co", stage="Interview")
    phone.wait_synced()
    laptop.page.reload()  # a start syncs
    rebound.open_rejection(laptop, "Shared Co")
    laptop.page.get_by_label("What did I learn?").fill("Practise the case study aloud.")
    laptop.page.locator("main h1").click()
    laptop.wait_synced()

    phone.page.get_by_role("link", name="Journal", exact=True).click()
    phone.page.get_by_role("link", name="Lessons", exact=True).click()
    phone.page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # back to the app: sync
    expect(phone.page.get_by_role("list", name="Your lessons")).to_contain_text("Practise the case study aloud.")


def test_concurrent_edits_of_different_fields_both_survive(rebound):
    phone, laptop = rebound.tab(), rebound.tab()
    email = rebound.sign_up(phone)
    rebound.log_rejection(phone, "Merge Co", stage="Final round")
    phone.wait_synced()
    rebound.sign_in(laptop, email)
    laptop.wait_synced()
    for tab in (phone, laptop):
        tab.wait_for_service_worker()
        rebound.open_rejection(tab, "Merge Co")
        tab.context.set_offline(True)

    phone.page.get_by_label("What went well?").fill("Clear answers on the system design.")
    phone.page.locator("main h1").click()
    laptop.page.get_by_label("What did I learn?").fill("Ask for the rubric beforehand.")
    laptop.page.locator("main h1").click()
    for tab in (phone, laptop):
        expect(tab.page.locator("#sync-status")).to_have_text("Offline — 1 change waiting")

    for tab in (phone, laptop):
        tab.context.set_offline(False)
        tab.wait_synced()
    phone.page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # pull the laptop's edit
    for tab in (phone, laptop):
        expect(tab.page.get_by_label("What went well?")).to_have_value("Clear answers on the system design.")
        expect(tab.page.get_by_label("What did I learn?")).to_have_value("Ask for the rubric beforehand.")
    [saved] = phone.api("/api/rejections")
    assert saved["went_well"] == "Clear answers on the system design."
    assert saved["lessons"] == "Ask for the rubric beforehand."


def test_pending_local_edit_survives_a_pull(rebound):
    tab = rebound.tab()
    page = tab.page
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Overlay Co")
    page.get_by_role("link", name="Reflect on it").click()
    tab.wait_synced()
    tab.wait_for_service_worker()
    tab.context.set_offline(True)  # keep the edit pending
    page.get_by_label("What went well?").fill("Mine, not yet sent.")
    page.locator("main h1").click()
    expect(page.locator("#sync-status")).to_have_text("Offline — 1 change waiting")
    # A pull brings another device's version of the record, with an older went_well.
    shown = page.evaluate("""async () => {
      const store = await import('/js/store.js');
      const id = location.pathname.split('/').pop();
      const mine = await store.get('rejections', id);
      const { _rejected, _local, ...server } = mine;
      const cursor = await store.getMeta('cursor');
      await store.applySync([], { applied: [], rejected: [], has_more: false, cursor,
        changes: [{ entity: 'rejections', id, version: 99, deleted: false,
                    data: { ...server, went_well: 'Older text', lessons: 'From the other device' } }] });
      return store.get('rejections', id);
    }""")
    assert shown["went_well"] == "Mine, not yet sent."
    assert shown["lessons"] == "From the other device"
    expect(page.get_by_label("What did I learn?")).to_have_value("From the other device")
    expect(page.get_by_label("What went well?")).to_have_value("Mine, not yet sent.")


def test_concurrent_edits_of_one_text_field_keep_both_versions(rebound):
    """The later arrival wins (SPEC §5), and the earlier text stays in sight as
    "your other version" on the device that sent the later one (issue 13)."""
    phone, laptop = rebound.tab(), rebound.tab()
    email = rebound.sign_up(phone)
    rebound.log_rejection(phone, "Twice Co", stage="Interview")
    phone.wait_synced()
    rebound.sign_in(laptop, email)
    laptop.wait_synced()
    for tab in (phone, laptop):
        tab.wait_for_service_worker()
        rebound.open_rejection(tab, "Twice Co")
        tab.context.set_offline(True)
    phone.page.get_by_label("What did I learn?").fill("Written on the phone, on the bus.")
    phone.page.locator("main h1").click()
    laptop.page.get_by_label("What did I learn?").fill("Written on the laptop, at home.")
    laptop.page.locator("main h1").click()
    for tab in (phone, laptop):
        expect(tab.page.locator("#sync-status")).to_have_text("Offline — 1 change waiting")

    phone.context.set_offline(False)
    phone.wait_synced()
    laptop.context.set_offline(False)
    laptop.wait_synced()

    lessons = laptop.page.get_by_label("What did I learn?")
    expect(lessons).to_have_value("Written on the laptop, at home.")  # the later arrival
    other = laptop.page.get_by_role("group", name="Your other version")
    expect(other).to_contain_text("Written on the phone, on the bus.")
    [saved] = laptop.api("/api/rejections")
    assert saved["lessons"] == "Written on the laptop, at home."

    laptop.page.reload()  # the other version is in the local store, not only on screen
    expect(other).to_contain_text("Written on the phone, on the bus.")
    other.get_by_role("button", name="Keep this one").click()
    expect(other).to_be_hidden()
    expect(lessons).to_have_value("Written on the phone, on the bus.")
    laptop.wait_synced()
    [saved] = laptop.api("/api/rejections")
    assert saved["lessons"] == "Written on the phone, on the bus."

    phone.page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # pull
    expect(phone.page.get_by_label("What did I learn?")).to_have_value("Written on the phone, on the bus.")
    expect(phone.page.get_by_role("group", name="Your other version")).to_have_count(0)


def test_discarding_the_other_version_keeps_what_is_in_the_field(rebound):
    phone, laptop = rebound.tab(), rebound.tab()
    email = rebound.sign_up(phone)
    rebound.log_rejection(phone, "Once Co")
    phone.wait_synced()
    rebound.sign_in(laptop, email)
    laptop.wait_synced()
    for tab in (phone, laptop):
        tab.wait_for_service_worker()
        rebound.open_rejection(tab, "Once Co")
        tab.context.set_offline(True)
    phone.page.get_by_label("A kinder, truer way to see it").fill("One no is not every no.")
    phone.page.locator("main h1").click()
    laptop.page.get_by_label("A kinder, truer way to see it").fill("They picked someone; that is all I know.")
    laptop.page.locator("main h1").click()
    phone.context.set_offline(False)
    phone.wait_synced()
    laptop.context.set_offline(False)
    laptop.wait_synced()
    other = laptop.page.get_by_role("group", name="Your other version")
    expect(other).to_contain_text("One no is not every no.")
    other.get_by_role("button", name="Discard").click()
    expect(other).to_be_hidden()
    laptop.page.reload()
    expect(laptop.page.get_by_label("A kinder, truer way to see it")).to_have_value(
        "They picked someone; that is all I know.")
    expect(other).to_have_count(0)
    [saved] = laptop.api("/api/rejections")
    assert saved["reframe"] == "They picked someone; that is all I know."
