#!/usr/bin/python3
"""Browser test of the Taskgate console (/console/), driven through chromedriver (WebDriver).

Run it with .ci/console.sh, which installs Chromium, chromedriver and Debian's python3-selenium
and checks that the app is up. Environment:
  TASKGATE_URL            the app (or a dev server in front of it), default http://localhost:8080
  TASKGATE_API_KEY        a key of one tenant, default sk_test_123456
  TASKGATE_OTHER_API_KEY  a key of another tenant, default sk_test_other_tenant
  CONSOLE_SCREENSHOTS     where screenshots go, default target/console-screenshots

Prints one line per check, the measured latencies ("console-latency: ..."), and a closing
"console: N passed, N failed" line; exits 1 on the first failed check.
"""
import json
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ.get("TASKGATE_URL", "http://localhost:8080").rstrip("/")
KEY = os.environ.get("TASKGATE_API_KEY", "sk_test_123456")
OTHER_KEY = os.environ.get("TASKGATE_OTHER_API_KEY", "sk_test_other_tenant")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOTS = os.environ.get("CONSOLE_SCREENSHOTS", os.path.join(ROOT, "target", "console-screenshots"))
CONSOLE = BASE + "/console/"
RUN = str(int(time.time()))  # keeps this run's sessions apart from earlier runs' on the same data

passed = 0
driver = None


class CheckFailed(Exception):
    pass


def log(msg):
    print(f"console-test: {msg}", flush=True)


def check(cond, what):
    global passed
    if not cond:
        raise CheckFailed(what)
    passed += 1
    log(f"ok   {what}")


# ---------------------------------------------------------------- the API, directly

def api(method, path, key=KEY, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + "/api/v1" + path, data=data, method=method,
                                 headers={"X-API-Key": key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, json.loads(res.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def terminal_event_ms(task_id):
    """The time of the task's terminal event (microseconds precision), in epoch ms."""
    _, page = api("GET", f"/tasks/{task_id}/events?after=0&limit=1000")
    last = page["events"][-1]
    assert last["type"].startswith("TASK_") and last["type"] not in ("TASK_QUEUED", "TASK_STARTED"), last
    return datetime.fromisoformat(last["timestamp"].replace("Z", "+00:00")).timestamp() * 1000


# ---------------------------------------------------------------- the browser

def start_browser(profile):
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,900"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def js(script, *args):
    return driver.execute_script(script, *args)


def wait(cond, what, timeout=30):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: cond())
    except TimeoutException:
        raise CheckFailed(f"timed out after {timeout}s waiting for: {what}") from None


def el(css):
    return driver.find_element(By.CSS_SELECTOR, css)


def text_of(css):
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return found[0].text if found else ""


def go(route):
    """Navigates by hash like a link would (no reload, the key stays in the tab); waits for the new page."""
    js("""window.__oldView = document.getElementById('main').firstElementChild;
      if (location.hash === arguments[0]) window.dispatchEvent(new HashChangeEvent('hashchange'));
      else location.hash = arguments[0];""", route)
    wait(lambda: js("return document.getElementById('main').firstElementChild !== window.__oldView"
                    " && document.getElementById('page-title') !== null"), f"page {route}")


def shot(name):
    os.makedirs(SHOTS, exist_ok=True)
    driver.save_screenshot(os.path.join(SHOTS, name))


def status_shown():
    return js("const b = document.querySelector('#task-status [data-status]'); return b ? b.dataset.status : ''")


def browser_errors(allowed=()):
    """SEVERE browser log entries since the last call, less the expected HTTP errors in `allowed`."""
    bad = []
    for entry in driver.get_log("browser"):
        if KEY in entry["message"] or OTHER_KEY in entry["message"]:
            bad.append("an API key appeared in the browser console")
        if entry["level"] != "SEVERE":
            continue
        if entry.get("source") == "network" and any(re.search(rf"status of {code}\b", entry["message"]) for code in allowed):
            continue
        bad.append(entry["message"])
    return bad


def no_browser_errors(phase, allowed=()):
    time.sleep(0.5)  # log entries reach chromedriver a moment after the page has moved on
    errors = browser_errors(allowed)
    check(not errors, f"no errors in the browser console ({phase})" + (f": {errors}" if errors else ""))


def unlabeled_controls():
    return js("""return [...document.querySelectorAll('input, select, textarea')]
      .filter((e) => e.offsetParent !== null && e.type !== 'hidden')
      .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
      .map((e) => e.id || e.name || e.outerHTML.slice(0, 60))""")


def enter_key(key):
    wait(lambda: driver.find_elements(By.ID, "api-key"), "the key form")
    field = el("#api-key")
    field.clear()
    field.send_keys(key + Keys.ENTER)
    wait(lambda: not driver.find_elements(By.ID, "api-key") and js("return !document.getElementById('nav').hidden"), "the console after the key")


def submit_form(query, mode="simple", context=None, session=None):
    go("#/submit")
    el("#s-query").send_keys(query)
    Select(el("#s-mode")).select_by_value(mode)
    if session:
        el("#s-session").send_keys(session)
    if context is not None:
        el("#s-context").send_keys(json.dumps(context))
    el("#submit-task").click()
    wait(lambda: re.match(r"^#/tasks/task_\w+$", js("return location.hash")), "the new task's page after submit")
    task_id = js("return location.hash").split("/")[-1]
    wait(lambda: status_shown(), "the task's status on its page")
    return task_id


def watch_status(value):
    """Records (after the next frame) when the status badge first shows `value`."""
    js("""const want = arguments[0];
      window.__shown = null;
      const slot = document.getElementById('task-status');
      const seen = () => { const b = slot.querySelector('[data-status]'); return b && b.dataset.status === want; };
      const mark = () => { if (window.__shown == null && seen()) requestAnimationFrame(() => { window.__shown = window.__shown ?? Date.now(); }); };
      new MutationObserver(mark).observe(slot, {childList: true, subtree: true, attributes: true});
      mark();""", value)


# ---------------------------------------------------------------- the scenario

def run():
    # 1. Key form; nothing but the form without a key.
    driver.get(CONSOLE + "#/tasks")
    wait(lambda: driver.find_elements(By.ID, "api-key"), "the key form on first visit")
    check(js("return document.getElementById('nav').hidden"), "without a key only the key form is shown")
    check(el("#api-key").get_attribute("type") == "password", "the key field is a password field")
    shot("01-key.png")
    enter_key(KEY)
    wait(lambda: js("return document.querySelector('#tasks-table')?.getAttribute('aria-busy') === 'false'"), "the task list")
    check(js("return sessionStorage.length === 1 && localStorage.length === 0 && document.cookie === ''"),
          "the key is kept in sessionStorage only")
    check(KEY not in js("return document.documentElement.outerHTML + location.href"), "the key is not in the DOM or the URL")
    shot("02-tasks.png")
    no_browser_errors("key and task list")

    # 2. Submit a STANDARD task from the form; watch it complete live on its page.
    el('nav a[href="#/submit"]').click()
    wait(lambda: driver.find_elements(By.ID, "submit-form"), "the submit page from the nav link")
    check(not unlabeled_controls(), f"every control on the submit page has a label {unlabeled_controls()}")
    el("#s-context").send_keys('{"simulate": ')
    wait(lambda: "Not valid JSON" in text_of("#s-context-error"), "the context JSON error while typing")
    el("#submit-task").click()
    check("#/submit" in js("return location.hash"), "an invalid context is not submitted")
    el("#s-context").clear()
    el("#s-query").send_keys("hello")
    Select(el("#s-provider")).select_by_value("local")
    el("#s-model").send_keys("no-such-model")
    el("#submit-task").click()
    wait(lambda: "Unknown model" in text_of("#submit-message"), "the API's 400 message on the submit page")
    check("HTTP 400" in text_of("#submit-message") and "#/submit" in js("return location.hash"), "a rejected submit shows the API's error and stays on the form")
    shot("03-submit.png")
    no_browser_errors("rejected submit", allowed=(400,))
    task_id = submit_form("What is 1234 * 5678?", "standard", {"simulate": {"delay_ms": 1500}})
    log(f"submitted {task_id}")
    watch_status("COMPLETED")
    check(status_shown() in ("QUEUED", "RUNNING"), f"the new task is unfinished when its page opens ({status_shown()})")
    wait(lambda: js("return window.__shown") is not None, "COMPLETED shown on the task page", 90)
    shown_ms = js("return window.__shown")
    latency = shown_ms - terminal_event_ms(task_id)
    _, task = api("GET", f"/tasks/{task_id}")
    updated_ms = datetime.fromisoformat(task["updated_at"].replace("Z", "+00:00")).timestamp() * 1000
    print(f"console-latency: completed\u2192shown {latency:.0f} ms (task page, from the TASK_COMPLETED event's time; "
          f"{shown_ms - updated_ms:.0f} ms after updated_at, which has whole seconds)", flush=True)
    check(-50 < latency < 3000, f"the task page showed COMPLETED {latency:.0f} ms after it happened (live, no reload)")
    wait(lambda: "7006652" in text_of("#task-result"), "the result on the task page")
    check(task["status"] == "TASK_STATUS_COMPLETED", "the API agrees the task completed")
    wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#task-usage tbody tr")) >= 2, "a usage row per model call")
    check(text_of("#task-cost").startswith("$"), f"the task's total cost is shown ({text_of('#task-cost')})")
    js("window.scrollTo(0, 0)")
    shot("04-task.png")

    # 3. Its event timeline: tool call with arguments, tool result, model output, terminal event.
    driver.find_element(By.ID, "events").location_once_scrolled_into_view
    wait(lambda: js("return document.querySelector('#timeline [data-type=TASK_COMPLETED]') !== null"), "the terminal event in the timeline")
    check("1234 * 5678" in text_of("#timeline [data-type=TOOL_INVOKED]"), "the timeline shows the tool call's arguments")
    check("7006652" in text_of("#timeline [data-type=TOOL_RESULT]"), "the timeline shows the tool's result")
    out = el("#timeline [data-type=LLM_OUTPUT] details")
    out.find_element(By.TAG_NAME, "summary").click()
    check(out.get_attribute("open") is not None and out.find_element(By.TAG_NAME, "pre").is_displayed(), "a model output opens in the timeline")
    seqs = js("return [...document.querySelectorAll('#timeline [data-seq]')].map((e) => Number(e.dataset.seq))")
    check(seqs == list(range(1, len(seqs) + 1)), f"the timeline has every event once, in order ({seqs})")
    shot("05-task-timeline.png")
    no_browser_errors("submit and task page")

    # 3b. A stream that drops is resumed with Last-Event-ID: nothing lost, nothing repeated.
    # The page's fetch() is wrapped so that the first event stream ends after its first frame.
    js("""window.__streams = []; window.__fetch = window.fetch;
      window.fetch = async (input, init) => {
        const res = await window.__fetch(input, init);
        if (!String(input).includes('/stream')) return res;
        window.__streams.push((init && init.headers && init.headers['Last-Event-ID']) || '');
        if (window.__streams.length > 1) return res;
        const reader = res.body.getReader(); const dec = new TextDecoder(); let seen = '';
        return new Response(new ReadableStream({ async pull(ctrl) {
          if (seen.includes('\\n\\n')) { reader.cancel(); ctrl.close(); return; }
          const { value, done } = await reader.read();
          if (done) { ctrl.close(); return; }
          seen += dec.decode(value, { stream: true }); ctrl.enqueue(value);
        } }), { status: res.status, headers: res.headers });
      };""")
    _, dropped = api("POST", "/tasks", body={"query": "What is 12 * 12?", "mode": "standard", "context": {"simulate": {"delay_ms": 1500}}})
    go(f"#/tasks/{dropped['task_id']}")
    wait(lambda: status_shown() == "COMPLETED", "the task with a dropped stream completes on its page", 90)
    wait(lambda: js("return document.querySelector('#timeline [data-type=TASK_COMPLETED]') !== null"), "its terminal event after the resume")
    streams = js("window.fetch = window.__fetch; return window.__streams")
    seqs = js("return [...document.querySelectorAll('#timeline [data-seq]')].map((e) => Number(e.dataset.seq))")
    check(len(streams) >= 2 and streams[0] == "" and streams[1].isdigit(),
          f"the dropped stream was reopened with Last-Event-ID {streams[1] if len(streams) > 1 else None}")
    check(seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 5, f"after the resume every event is shown once, in order ({seqs})")
    no_browser_errors("stream resume")

    # 4. Live model output (include_partial=true) of a slowly streaming task.
    live_id = submit_form("Explain durable workflows in a few words", "simple", {"simulate": {"chunk_delay_ms": 350}})
    el("#live-output").click()
    wait(lambda: js("return (document.querySelector('#timeline .partial pre')?.textContent || '').length > 0"), "live output pieces", 60)
    js("document.getElementById('events').scrollIntoView()")
    shot("06-task-live-output.png")
    wait(lambda: status_shown() == "COMPLETED", "the streamed task completes", 90)
    wait(lambda: js("return document.querySelector('#timeline .partial') === null"), "the live box replaced by the full output")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#timeline [data-type=LLM_OUTPUT]")) == 1, "live output ends in one stored model output")
    no_browser_errors("live output")

    # 5. Cancel a slow task from the console.
    slow_id = submit_form("Long job", "simple", {"simulate": {"delay_ms": 60000}})
    check(el("#cancel-task").is_displayed(), "an unfinished task has a Cancel button")
    el("#cancel-task").click()
    check(el("#cancel-confirm").is_displayed(), "Cancel asks for confirmation first")
    el("#cancel-yes").click()
    wait(lambda: status_shown() == "CANCELLED", "CANCELLED on the task page")
    check(api("GET", f"/tasks/{slow_id}")[1]["status"] == "TASK_STATUS_CANCELLED", "the API has the task cancelled")
    wait(lambda: "cancelled by user" in text_of("#task-error").lower(), "the cancel reason as the task's error")
    check(not el("#cancel-task").is_displayed(), "a cancelled task has no Cancel button")
    shot("07-task-cancelled.png")
    no_browser_errors("cancel")

    # 5b. Approvals: a calculator call waits for a person's decision. The task page shows the
    # pending approval live (tool, arguments, feedback field); the inbox lists it; approving it
    # from the console runs the tool and the task completes.
    code, submitted = api("POST", "/tasks", body={
        "query": "What is 17 * 23?", "mode": "standard", "require_approval": ["calculator"],
        "context": {"simulate": {"delay_ms": 1500}}})
    check(code in (200, 201, 202) and submitted["require_approval"] == ["calculator"], "a task needing approval for the calculator is submitted")
    approval_task = submitted["task_id"]
    go(f"#/tasks/{approval_task}")
    wait(lambda: status_shown(), "the approval task's status")
    before = status_shown()
    if before != "PAUSED":
        check(not driver.find_elements(By.CSS_SELECTOR, "#pending-approvals .approval"), "no approval is shown before the model asks for the tool")
    card = "#pending-approvals .approval[data-status=PENDING]"
    wait(lambda: driver.find_elements(By.CSS_SELECTOR, card), "the pending approval appears on the task page", 60)
    wait(lambda: status_shown() == "PAUSED", "PAUSED on the task page")
    check(text_of(f"{card} .tool") == "calculator", "the approval names the tool")
    check('"17 * 23"' in text_of(f"{card} .arguments"), "the approval shows the arguments the model chose")
    check("Waiting for approval to run calculator" in text_of("#task-pause") and text_of("#pause-since").startswith("Since"),
          "the pause box says why and since when")
    check(el(f"{card} textarea").is_displayed() and el(f"{card} .approve").is_displayed() and el(f"{card} .refuse").is_displayed(),
          "the approval has a feedback field and Approve / Refuse buttons")
    check(el("#resume-task").is_displayed() and not el("#pause-task").is_displayed(), "a paused task offers Resume, not Pause")
    wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#timeline [data-type=APPROVAL_REQUESTED]")
         and driver.find_elements(By.CSS_SELECTOR, "#timeline [data-type=TASK_PAUSED]"), "APPROVAL_REQUESTED and TASK_PAUSED in the timeline")
    check("Approval requested" in text_of("#timeline [data-type=APPROVAL_REQUESTED]")
          and "calculator" in text_of("#timeline [data-type=APPROVAL_REQUESTED]"), "the timeline shows the approval request readably")
    check(not unlabeled_controls(), "every control on the paused task page has a label")
    js("document.getElementById('task-pause').scrollIntoView()")
    shot("07b-task-approval-pending.png")

    go("#/approvals")
    inbox_card = f"#approvals-list .approval[data-task-id='{approval_task}']"
    wait(lambda: driver.find_elements(By.CSS_SELECTOR, inbox_card), "the approval in the inbox")
    check(el(f"{inbox_card} a.task-link").get_attribute("href").endswith(f"#/tasks/{approval_task}"), "the inbox links the approval to its task")
    check(all(s == "PENDING" for s in js("return [...document.querySelectorAll('#approvals-list .approval')].map((a) => a.dataset.status)")),
          "the inbox lists pending approvals only")
    shot("07c-approvals-inbox.png")
    el(f"{inbox_card} a.task-link").click()
    wait(lambda: driver.find_elements(By.CSS_SELECTOR, card), "back on the task page with its approval")

    watch_status("COMPLETED")
    el(f"{card} textarea").send_keys("looks right")
    el(f"{card} .approve").click()
    wait(lambda: status_shown() == "COMPLETED", "the approved task completes", 90)
    wait(lambda: "391" in text_of("#task-result"), "its result, computed by the approved tool", 10)
    wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#timeline [data-type=TASK_COMPLETED]"), "the timeline reaches TASK_COMPLETED", 10)
    types = js("return [...document.querySelectorAll('#timeline [data-type]')].map((e) => e.dataset.type)")
    order = ["APPROVAL_REQUESTED", "TASK_PAUSED", "APPROVAL_DECIDED", "TASK_RESUMED", "TOOL_INVOKED", "TASK_COMPLETED"]
    check([t for t in types if t in order] == order, "the timeline shows request, pause, decision, resume, tool call, completion in order")
    check("APPROVED" in text_of("#timeline [data-type=APPROVAL_DECIDED]") and "looks right" in text_of("#timeline [data-type=APPROVAL_DECIDED]"),
          "the decision and its feedback in the timeline")
    check(el("#task-pause").get_attribute("hidden") is not None, "the pause box is gone once the task runs again")
    _, decided = api("GET", f"/approvals?status=approved&task_id={approval_task}")
    check([(a["status"], a.get("feedback")) for a in decided["approvals"]] == [("APPROVAL_STATUS_APPROVED", "looks right")],
          "the API has the approval approved with the console's feedback")
    shot("07d-task-approved.png")
    no_browser_errors("approvals")

    # 5c. Pause a slow task with a reason, find it under the PAUSED filter, resume it.
    pause_id = submit_form("What is 17 * 23?", "standard", {"simulate": {"delay_ms": 2000}})
    check(el("#pause-task").is_displayed() and el("#pause-reason").is_displayed(), "an unfinished task has a Pause button and a reason field")
    el("#pause-reason").send_keys("checking the budget")
    el("#pause-task").click()
    wait(lambda: status_shown() == "PAUSED", "PAUSED after Pause")
    wait(lambda: "checking the budget" in text_of("#task-pause"), "the pause reason on the task page")
    check(api("GET", f"/tasks/{pause_id}")[1]["status"] == "TASK_STATUS_PAUSED", "the API has the task paused")
    wait(lambda: el("#resume-task").is_displayed() and not el("#pause-task").is_displayed(), "Resume instead of Pause")
    wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#timeline [data-type=TASK_PAUSED]"), "TASK_PAUSED in the timeline")
    check("checking the budget" in text_of("#timeline [data-type=TASK_PAUSED]"), "the timeline shows the pause reason")
    shot("07e-task-paused.png")
    go("#/tasks?status=paused")
    wait(lambda: js("return document.querySelector(`tr[data-task-id='${arguments[0]}']`)?.dataset.status", pause_id) == "PAUSED",
         "the paused task under the PAUSED filter")
    check(Select(el("#f-status")).first_selected_option.get_attribute("value") == "paused", "the status filter offers PAUSED")
    check(el(f"tr[data-task-id='{pause_id}'] .badge").text == "PAUSED", "the list shows a PAUSED badge")
    go(f"#/tasks/{pause_id}")
    wait(lambda: status_shown() == "PAUSED" and el("#resume-task").is_displayed(), "the paused task's page again")
    time.sleep(1)
    check(api("GET", f"/tasks/{pause_id}")[1]["status"] == "TASK_STATUS_PAUSED", "the task stays paused")
    el("#resume-task").click()
    wait(lambda: status_shown() in ("RUNNING", "COMPLETED"), "RUNNING after Resume")
    wait(lambda: status_shown() == "COMPLETED", "the resumed task completes", 90)
    wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#timeline [data-type=TASK_RESUMED]"), "TASK_RESUMED in the timeline", 10)
    check("paused" in text_of("#timeline [data-type=TASK_RESUMED]"), "the timeline says how long the task was paused")
    # the status comes with the stream's event, the result with the read of the task that it triggers
    wait(lambda: "391" in text_of("#task-result"), "the resumed task's result", 10)
    check("391" in text_of("#task-result"), "the resumed task's result")
    shot("07f-task-resumed.png")
    no_browser_errors("pause and resume")

    # 6. The task list: live rows, filters, cursor paging.
    go("#/tasks")
    for tid, st in ((task_id, "COMPLETED"), (slow_id, "CANCELLED")):
        wait(lambda: js("return document.querySelector(`tr[data-task-id='${arguments[0]}']`)?.dataset.status", tid) == st, f"{tid} listed as {st}")
    code, fresh = api("POST", "/tasks", body={"query": "appears live", "context": {"simulate": {"delay_ms": 1500}}})
    fresh_id = fresh["task_id"]
    wait(lambda: js("return document.querySelector(`tr[data-task-id='${arguments[0]}']`) !== null", fresh_id), "a task submitted elsewhere appears in the list", 10)
    js("""window.__rowDone = null; const id = arguments[0];
      new MutationObserver(() => { const r = document.querySelector(`tr[data-task-id='${id}']`);
        if (r && r.dataset.status === 'COMPLETED' && window.__rowDone == null) requestAnimationFrame(() => { window.__rowDone = window.__rowDone ?? Date.now(); }); })
      .observe(document.getElementById('tasks-table'), {subtree: true, attributes: true, childList: true});""", fresh_id)
    wait(lambda: js("return window.__rowDone") is not None, "the row turns COMPLETED without a reload", 60)
    row_latency = js("return window.__rowDone") - terminal_event_ms(fresh_id)
    print(f"console-latency: completed\u2192shown {row_latency:.0f} ms (task list, polled every 2 s)", flush=True)
    check(row_latency < 5000, f"the list showed the completion within one poll ({row_latency:.0f} ms)")

    Select(el("#f-status")).select_by_value("cancelled")
    el(".filter-actions button[type=submit]").click()
    wait(lambda: "status=cancelled" in js("return location.hash"), "the status filter in the URL")
    wait(lambda: js("return document.querySelector('#tasks-table').getAttribute('aria-busy') === 'false'"), "the filtered list")
    statuses = js("return [...document.querySelectorAll('#tasks-table tr[data-task-id]')].map((r) => r.dataset.status)")
    check(statuses and set(statuses) == {"CANCELLED"}, f"the filtered list has only cancelled tasks ({set(statuses)})")

    session = f"console-paging-{RUN}"
    ids = [api("POST", "/tasks", body={"query": f"page item {i}", "session_id": session})[1]["task_id"] for i in range(27)]
    go(f"#/tasks?session_id={session}")
    wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#tasks-table tr[data-task-id]")) == 25, "a first page of 25")
    first = js("return [...document.querySelectorAll('#tasks-table tr[data-task-id]')].map((r) => r.dataset.taskId)")
    check(first == ids[::-1][:25], "the first page holds the newest 25 tasks, newest first")
    el("#page-next").click()
    wait(lambda: js("return document.querySelectorAll('#tasks-table tr[data-task-id]').length") == 2, "the second page")
    second = js("return [...document.querySelectorAll('#tasks-table tr[data-task-id]')].map((r) => r.dataset.taskId)")
    check(second == ids[::-1][25:] and not el("#page-next").is_enabled(), "the next page continues from the cursor and is the last")
    el("#page-prev").click()
    wait(lambda: js("return document.querySelectorAll('#tasks-table tr[data-task-id]').length") == 25, "back to the first page")
    check(not el("#page-prev").is_enabled(), "previous leads back to the first page")
    no_browser_errors("task list")

    # 7. Sessions and one session.
    go("#/sessions")
    wait(lambda: driver.find_elements(By.CSS_SELECTOR, f"tr[data-session-id='{session}']"), "the new session in the list")
    shot("08-sessions.png")
    el(f"tr[data-session-id='{session}'] a").click()
    wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#session-turns .turn")) == 20, "the session's newest 20 turns")
    check(el("#session-earlier").is_displayed(), "older turns are one click away")
    el("#session-earlier").click()
    wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#session-turns .turn")) == 27, "all 27 turns")
    order = js("return [...document.querySelectorAll('#session-turns .turn')].map((t) => t.dataset.taskId)")
    check(order == ids, "turns read oldest first")
    check("27" in text_of("#session-summary"), "the session summary counts its tasks")
    shot("09-session.png")
    no_browser_errors("sessions")

    # 8. Overview.
    go("#/overview")
    wait(lambda: "Computed at" in text_of("#overview-state"), "the overview computed", 60)
    counts = js("return Object.fromEntries([...document.querySelectorAll('#status-counts [data-status]')].filter((e) => e.classList.contains('count-card')).map((e) => [e.dataset.status, Number(e.querySelector('.count').textContent.replace(/,/g, ''))]))")
    check(counts.get("CANCELLED", 0) >= 1 and counts.get("COMPLETED", 0) >= 2, f"status counts include this run's tasks ({counts})")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#overview-chart svg .bar rect")) == 24, "the chart has 24 hourly bars")
    Select(el("#o-metric")).select_by_value("tasks")
    check(js("return [...document.querySelectorAll('#overview-chart .bar rect')].some((r) => Number(r.getAttribute('height')) > 0)"), "the tasks-per-hour chart has a non-empty bar")
    shot("10-overview.png")
    check(not text_of("#overview-cap"), "no cap note when every task of the window was read")
    go("#/overview?cap=10")
    wait(lambda: "Computed at" in text_of("#overview-state"), "the overview with a cap of 10", 60)
    check("only the newest 10 tasks" in text_of("#overview-cap") and "from 10 tasks" in text_of("#overview-state"),
          "a capped overview says so")
    no_browser_errors("overview")

    # 9. Keyboard: the skip link comes first and focus is visible.
    driver.get("about:blank")
    driver.get(CONSOLE + "#/tasks")
    wait(lambda: js("return document.querySelector('#tasks-table')?.getAttribute('aria-busy') === 'false'"), "the list after a new load (key kept in the tab)")
    ActionChains(driver).send_keys(Keys.TAB).perform()
    check(js("return document.activeElement.classList.contains('skip')"), "Tab reaches the skip link first")
    ActionChains(driver).send_keys(Keys.TAB).perform()
    focused = js("const e = document.activeElement; const s = getComputedStyle(e); return [e.textContent, s.outlineStyle, s.outlineWidth]")
    check(focused[1] != "none" and focused[2] != "0px", f"the focused element has a visible outline ({focused})")
    for route in ("#/tasks", "#/sessions", "#/overview"):
        go(route)
        check(not unlabeled_controls(), f"every control on {route} has a label")

    # 10. Phone-sized viewport.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        for route in ("#/tasks", f"#/tasks/{task_id}", "#/submit", "#/sessions", f"#/sessions/{session}", "#/overview"):
            go(route)
            time.sleep(0.3)
            overflow = js("return document.documentElement.scrollWidth - window.innerWidth")
            check(overflow <= 1, f"{route} fits a 390 px wide screen (overflow {overflow} px)")
        go("#/tasks")
        wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#tasks-table tr[data-task-id]"), "rows on the phone")
        check(js("return getComputedStyle(document.querySelector('#tasks-table tr[data-task-id]')).display") == "grid", "table rows become cards on a phone")
        shot("11-phone-tasks.png")
        phone_id = submit_form("What is 6 * 7?", "standard", {"simulate": {"delay_ms": 500}})
        wait(lambda: status_shown() == "COMPLETED", "a task submitted on the phone completes", 90)
        wait(lambda: "42" in text_of("#task-result"), "its result on the phone", 10)
        check("42" in text_of("#task-result"), "its result is shown on the phone")
        shot("12-phone-task.png")
        el('nav a[href="#/overview"]').click()
        wait(lambda: "Computed at" in text_of("#overview-state"), "the overview on the phone", 60)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    no_browser_errors("phone")

    # 11. Another tenant sees none of it; forgetting the key leaves nothing behind.
    el("#forget-key").click()
    wait(lambda: driver.find_elements(By.ID, "api-key"), "the key form after Forget key")
    check(js("return sessionStorage.length === 0") and "Tasks" not in text_of("main h1"), "Forget key clears the key and the page")
    enter_key(OTHER_KEY)
    go("#/tasks")
    wait(lambda: js("return document.querySelector('#tasks-table')?.getAttribute('aria-busy') === 'false'"), "the other tenant's list")
    mine = {task_id, slow_id, live_id, fresh_id, phone_id, approval_task, pause_id, *ids}
    listed = set(js("return [...document.querySelectorAll('tr[data-task-id]')].map((r) => r.dataset.taskId)"))
    check(not (mine & listed) and "1234 * 5678" not in text_of("main"), "the other tenant's list shows none of the first tenant's tasks")
    go(f"#/tasks/{task_id}")
    wait(lambda: "not found" in text_of("main .alert").lower(), "not found for the first tenant's task")
    check("1234" not in text_of("main") and not driver.find_elements(By.ID, "timeline"), "the direct task URL shows nothing of the task")
    shot("13-other-tenant.png")
    go(f"#/sessions/{session}")
    wait(lambda: "not found" in text_of("main .alert").lower(), "not found for the first tenant's session")
    check(not driver.find_elements(By.CSS_SELECTOR, "#session-turns .turn"), "the session URL shows no turns")
    no_browser_errors("other tenant", allowed=(404,))

    # 12. A key that stops working (401) sends the user back to the key form.
    js("sessionStorage.setItem('taskgate.console.apiKey', 'sk_no_such_key')")
    go("#/tasks")
    wait(lambda: driver.find_elements(By.ID, "api-key"), "the key form after a 401", 15)
    check("401" in text_of("main .alert"), "the key form says the key was rejected")
    check(js("return sessionStorage.length === 0"), "a rejected key is forgotten")
    no_browser_errors("401", allowed=(401,))


def main():
    global driver
    log(f"console at {CONSOLE}; screenshots in {SHOTS}")
    os.makedirs(SHOTS, exist_ok=True)
    for old in os.listdir(SHOTS):
        if old.endswith(".png"):
            os.remove(os.path.join(SHOTS, old))
    profile = tempfile.mkdtemp(prefix="taskgate-console-chromium.")
    try:
        driver = start_browser(profile)
        run()
    except (CheckFailed, WebDriverException, AssertionError) as e:
        log(f"FAIL {e}")
        if driver:
            try:
                shot("failure.png")
                for entry in driver.get_log("browser"):
                    log(f"browser console: {entry['level']} {entry['message']}")
            except WebDriverException:
                pass
        print(f"console: {passed} passed, 1 failed", flush=True)
        return 1
    finally:
        if driver:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"console: {passed} passed, 0 failed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
