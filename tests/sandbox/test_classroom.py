"""The class list (lop.csv) and the trainer's controls over the practice world: reset one
learner, reset the class with a backup, seed sample dossiers, level 2, unlock a wallet."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import Counter
from datetime import datetime

import pytest

from kynangso.domain.banks import load_banks
from kynangso.domain.dossier import State, is_overdue
from kynangso.domain.personas import make_personas
from kynangso.domain.vietqr import VietQR, encode
from kynangso.domain.workcalendar import Timeliness, WorkCalendar
from kynangso.errors import DataFileError, InvalidInput, MissingEntry
from kynangso.sandbox import classroom
from kynangso.sandbox.classroom import Learner
from kynangso.sandbox.store import Sandbox

MONDAY_8AM = datetime(2025, 11, 10, 8, 0)
PIN, PASSWORD, PASSCODE = "246802", "Truclam@2025", "246813"
AN, BINH = make_personas(2)
HEADER = "nguoi,ho_ten,vai\n"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    # Fewer PBKDF2 rounds keep the file fast; tests/domain checks the real count.
    monkeypatch.setenv("KYNANGSO_HASH_ITERATIONS", "1000")


@pytest.fixture
def world(tmp_path):
    """A frozen-clock store (tmp_path/kynangso.sqlite): a trainer, two learners, an official."""
    box = Sandbox.open(tmp_path, actor="gv", role="trainer", start=MONDAY_8AM,
                       clock_running=False, otp_seed="lop-7")
    yield (box, box.as_actor("lan-3f9a", "trainee"), box.as_actor("binh-07c1", "trainee"),
           box.as_actor("cb-hoa", "official"))
    box.close()


def ids():
    """A make_id that gives lan-0001, lan-0002...: predictable actor ids for tests."""
    counter = iter(range(1, 1000))
    return lambda name: f"{name.split()[-1].lower()}-{next(counter):04d}".replace("ì", "i")


# --- the class list file ----------------------------------------------------------------


def test_a_class_list_round_trips_and_names_are_nfc(tmp_path):
    path = tmp_path / "lop.csv"
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị  Lan")
    classroom.write_roster(path, [Learner("lan-3f9a", decomposed),
                                  Learner("hoa-0b2c", "Lê Thị Hoa", "official")])
    assert path.read_text(encoding="utf-8") == (
        HEADER + "lan-3f9a,Nguyễn Thị Lan,trainee\nhoa-0b2c,Lê Thị Hoa,official\n")
    roster = classroom.read_roster(path)
    assert roster == [Learner("lan-3f9a", "Nguyễn Thị Lan"),
                      Learner("hoa-0b2c", "Lê Thị Hoa", "official")]
    assert unicodedata.is_normalized("NFC", roster[0].name)


def test_no_file_is_an_empty_class_and_a_spreadsheets_bom_is_fine(tmp_path):
    assert classroom.read_roster(tmp_path / "lop.csv") == []
    path = tmp_path / "lop.csv"
    path.write_text(HEADER + "\n" + unicodedata.normalize("NFD", "an-1,Trần Văn An,trainee\n"),
                    encoding="utf-8-sig")
    assert classroom.read_roster(path) == [Learner("an-1", "Trần Văn An")]


@pytest.mark.parametrize(("body", "entry", "field", "words"), [
    ("nguoi,ten,vai\n", "dòng 1", None, "dòng tiêu đề phải là nguoi,ho_ten,vai"),
    (HEADER + "an-1,An,trainee\nAn Lê,Lê An,trainee\n", "dòng 3", "nguoi", "chữ thường"),
    (HEADER + "an-1,An,trainee\nan-1,An khác,trainee\n", "dòng 3", "nguoi", "lặp lại"),
    (HEADER + "an-1,,trainee\n", "dòng 2", "ho_ten", "để trống"),
    (HEADER + "an-1,An,trainer\n", "dòng 2", "vai", "trainee hoặc official"),
    (HEADER + "an-1,An\n", "dòng 2", None, "cần đúng 3 cột"),
])
def test_a_bad_class_list_names_the_file_and_the_row(tmp_path, body, entry, field, words):
    path = tmp_path / "lop.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        classroom.read_roster(path)
    error = info.value
    assert (error.file, error.entry, error.field) == (str(path), entry, field)
    assert error.message.startswith(f"Tệp danh sách lớp lop.csv, {entry}")
    assert words in error.message
    assert "Lê An" not in error.message and "trainer" not in error.message.split(":")[-1]


def test_a_class_list_that_is_not_utf8_says_so(tmp_path):
    path = tmp_path / "lop.csv"
    path.write_bytes((HEADER + "an-1,Trần Văn An,trainee\n").encode("utf-16"))
    with pytest.raises(DataFileError, match="không phải UTF-8"):
        classroom.read_roster(path)


def test_the_class_list_lives_beside_the_store(tmp_path):
    store = tmp_path / "sandbox.sqlite"
    assert classroom.roster_path(store) == tmp_path / "lop.csv"
    assert classroom.roster_path(tmp_path) == tmp_path / "lop.csv"
    assert classroom.roster_path(f"sqlite:///{store}") == tmp_path / "lop.csv"
    assert classroom.roster_path(f"sqlite+pysqlite:///{store}") == tmp_path / "lop.csv"
    assert classroom.roster_path("postgresql://lop@may-chu/kns").name == "lop.csv"


def test_the_trainer_adds_learners_with_new_ids(world, tmp_path):
    box, learner, _, official = world
    added = classroom.add_learners(box, "Nguyễn Thị Lan\n\n  Trần Văn Bình  \n", "trainee",
                                   ids())
    assert added == [Learner("lan-0001", "Nguyễn Thị Lan"), Learner("binh-0002",
                                                                     "Trần Văn Bình")]
    more = classroom.add_learners(box, ["Lê Thị Hoa"], "official", ids())
    assert more == [Learner("hoa-0001", "Lê Thị Hoa", "official")]
    assert classroom.read_roster(tmp_path / "lop.csv") == added + more
    assert [e.payload for e in box.events(action="class.roster_changed")] == [
        {"added": ["lan-0001", "binh-0002"], "removed": []},
        {"added": ["hoa-0001"], "removed": []}]
    for other in (learner, official):
        with pytest.raises(InvalidInput, match="Chỉ giảng viên"):
            classroom.add_learners(other, "Lan", "trainee", ids())


def test_a_clashing_id_is_drawn_again(world, tmp_path):
    box = world[0]
    draws = iter(["lan-aaaa", "lan-aaaa", "LAN!", "lan-bbbb"])
    classroom.add_learners(box, "Lan", "trainee", lambda name: next(draws))
    classroom.add_learners(box, "Lan", "trainee", lambda name: next(draws))
    assert [learner.actor for learner in classroom.read_roster(tmp_path / "lop.csv")] == [
        "lan-aaaa", "lan-bbbb"]


@pytest.mark.parametrize(("names", "role", "words"), [
    ("  \n ", "trainee", "Chưa nhập tên học viên"),
    ("Lan\n<script>", "trainee", "Tên thứ 2: Tên học viên chỉ gồm chữ cái"),
    ("Lan", None, "Chưa chọn vai"),
])
def test_adding_learners_refuses_bad_input_without_echoing_it(world, tmp_path, names, role,
                                                               words):
    with pytest.raises(InvalidInput) as info:
        classroom.add_learners(world[0], names, role, ids())
    assert words in info.value.message and "script" not in info.value.message
    assert not (tmp_path / "lop.csv").exists()


def test_the_trainer_takes_a_learner_off_the_list(world, tmp_path):
    box = world[0]
    lan, binh = classroom.add_learners(box, "Lan\nBình", "trainee", ids())
    assert classroom.remove_learner(box, lan.actor) == lan
    assert classroom.read_roster(tmp_path / "lop.csv") == [binh]
    with pytest.raises(MissingEntry, match="không có trong danh sách lớp"):
        classroom.remove_learner(box, lan.actor)


# --- what each learner did ------------------------------------------------------------------


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def activate(box, person=AN):
    notice = box.vneid.request_activation(person.cccd, person.phone)
    box.vneid.verify_activation_code(person.cccd, code_in(notice.text))
    return box.vneid.complete_activation(person.cccd, password=PASSWORD,
                                         password_again=PASSWORD, passcode=PASSCODE,
                                         passcode_again=PASSCODE)


def locked_wallet(box):
    """A wallet locked by five wrong PINs, as a learner would lock it."""
    account = box.wallets.open_account("zalopay", "Trần Văn An", balance=50_000, pin=PIN)
    payee = encode(VietQR(load_banks().training_bank.bin, "0999888777", amount=1_000)).payload
    for n in range(5):
        with pytest.raises(InvalidInput):
            box.wallets.pay(account.id, payload=payee, pin="999999", idempotency_key=f"k{n}")
    assert box.wallets.account(account.id).locked
    return account


def test_the_class_list_shows_each_learners_progress(world, tmp_path):
    box, lan, binh, _ = world
    classroom.write_roster(tmp_path / "lop.csv", [Learner(lan.actor, "Nguyễn Thị Lan"),
                                                  Learner(binh.actor, "Trần Văn Bình")])
    activate(lan)
    account = locked_wallet(lan)
    lan.dossiers.create("tam-tru", {"ho_ten": AN.full_name})
    lan.as_actor("tu-dat-ten", "trainee").learners.join("Hoa")
    found = {s.learner.actor: s for s in classroom.class_list(box)}
    assert list(found) == [lan.actor, binh.actor, "tu-dat-ten"]
    first = found[lan.actor]
    assert (first.on_roster, first.vneid_level, first.dossiers, first.wallet_locked) == (
        True, 1, 1, True)
    assert first.vneid[0].cccd == AN.cccd and first.wallets[0].id == account.id
    assert (found[binh.actor].vneid_level, found[binh.actor].wallets) == (None, ())
    assert (found["tu-dat-ten"].learner.name, found["tu-dat-ten"].on_roster) == ("Hoa", False)


def test_level_two_is_the_trainers_police_desk_step(world):
    box, lan, _, official = world
    activate(lan)
    with pytest.raises(InvalidInput, match="Chỉ giảng viên"):
        classroom.grant_level2(official, AN.cccd)
    assert classroom.grant_level2(box, AN.cccd, learner=lan.actor) == 1
    assert lan.vneid.account(AN.cccd).level == 2
    event = box.events(action="class.level2_granted")[0]
    assert (event.subject, event.payload) == (AN.cccd, {"learner": lan.actor, "accounts": 1})
    with pytest.raises(InvalidInput):
        classroom.grant_level2(box, "12345")


def test_the_trainer_unlocks_a_locked_wallet(world):
    box, lan, _, _ = world
    account = locked_wallet(lan)
    with pytest.raises(InvalidInput, match="Chỉ giảng viên"):
        classroom.unlock_wallet(lan, account.id)
    unlocked = classroom.unlock_wallet(box, account.id)
    assert (unlocked.locked, unlocked.failed_pins) == (False, 0)
    with pytest.raises(InvalidInput, match="Chưa chọn tài khoản"):
        classroom.unlock_wallet(box, " ")


# --- reset one learner -----------------------------------------------------------------------


def practise(box, person):
    """Everything one learner leaves in the store: VNeID, a wallet with a payment, a
    dossier, a stall and its sales, an answer, a draft."""
    activate(box, person)
    payer = box.wallets.open_account("zalopay", person.full_name, balance=100_000, pin=PIN)
    stall_account = box.wallets.open_account("ngan-hang", person.full_name, balance=0, pin=PIN)
    payee = encode(VietQR(load_banks().training_bank.bin, "0999888777", amount=2_000)).payload
    box.wallets.pay(payer.id, payload=payee, pin=PIN, idempotency_key=f"pay-{box.actor}")
    code = box.dossiers.create("tam-tru", {"ho_ten": person.full_name}).code
    box.dossiers.submit(code)
    box.stalls.open("Tạp hóa", stall_account.id)
    box.stalls.add_sale("08:30", 15_000)
    box.save_answer("q1", "B")
    box.drafts.save("portal", {"buoc": 2})
    return code


def rows_of(box, actor):
    counts = {}
    with box.reading() as conn:
        for table, column in classroom.OWNED_ROWS:
            counts[table] = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = :a",
                                         {"a": actor}).scalar()
        counts["accounts"] = conn.execute("SELECT COUNT(*) FROM accounts WHERE owner = :a",
                                          {"a": actor}).scalar()
        counts["payments"] = conn.execute(
            "SELECT COUNT(*) FROM payments JOIN accounts ON accounts.id = payments.payer"
            " WHERE accounts.owner = :a", {"a": actor}).scalar()
    return {table: n for table, n in counts.items() if n}


def test_resetting_a_learner_removes_their_rows_and_keeps_the_log(world):
    box, lan, binh, official = world
    practise(lan, AN)
    kept = practise(binh, BINH)
    lan.learners.join("Lan")
    before = rows_of(box, lan.actor)
    assert {"dossiers", "accounts", "payments", "vneid_accounts", "vneid_otps",
            "vneid_notifications", "stalls", "sales_book", "answers", "drafts"} <= set(before)
    events = len(box.events())
    with pytest.raises(InvalidInput, match="Chỉ giảng viên"):
        classroom.reset_learner(official, lan.actor)
    removed = classroom.reset_learner(box, lan.actor)
    assert removed == before
    assert rows_of(box, lan.actor) == {}
    assert rows_of(box, binh.actor).keys() == before.keys()  # the other learner keeps all
    assert binh.dossiers.owner(kept) == binh.actor
    assert lan.learners.name_of() == "Lan"  # who they are stays; their work is gone
    log = box.events()
    assert len(log) == events + 1 and box.verify_chain().ok
    assert (log[-1].action, log[-1].subject, log[-1].payload) == (
        "class.learner_reset", lan.actor, {"rows": before})
    # The learner starts again: the same persona activates anew on their phone.
    assert activate(lan).level == 1


def test_resetting_a_learner_with_nothing_is_harmless(world):
    box = world[0]
    assert classroom.reset_learner(box, "chua-tap") == {}
    with pytest.raises(InvalidInput, match="Chưa chọn học viên"):
        classroom.reset_learner(box, "")


# --- reset the class world -------------------------------------------------------------------


def test_resetting_the_class_keeps_a_backup_and_starts_fresh(world, tmp_path):
    box, lan, _, official = world
    code = practise(lan, AN)
    classroom.write_roster(tmp_path / "lop.csv", [Learner(lan.actor, "Lan")])
    events = len(box.events())
    with pytest.raises(InvalidInput, match="Chỉ giảng viên"):
        classroom.reset_world(official)
    # Another kernel still holds the store open: the backup copies it all the same.
    watcher = Sandbox.open(tmp_path, actor="tnv-khac", role="trainee")
    with watcher.reading():
        backup = classroom.reset_world(box, start=datetime(2025, 12, 1, 8, 0),
                                       clock_running=False)
    assert backup.parent == tmp_path / "sao-luu"
    assert re.fullmatch(r"kynangso-\d{8}-\d{6}\.sqlite", backup.name)
    with sqlite3.connect(backup) as old:
        assert old.execute("SELECT COUNT(*) FROM events").fetchone()[0] == events
        assert old.execute("SELECT owner FROM dossiers WHERE code = ?", (code,)).fetchone()
    with Sandbox.open(backup, actor="gv", role="trainer") as restored:
        assert restored.verify_chain().ok
    assert box.dossiers.list() == [] and box.wallets.accounts() == []
    assert box.now() == datetime(2025, 12, 1, 8, 0)
    log = box.events()
    assert [(e.seq, e.action) for e in log] == [(1, "class.world_reset")]
    assert log[0].payload == {"backup": f"sao-luu/{backup.name}", "previous_events": events}
    assert box.verify_chain().ok
    assert classroom.read_roster(tmp_path / "lop.csv") == [Learner(lan.actor, "Lan")]
    # The learner's open page carries on in the fresh world.
    assert watcher.dossiers.list() == []
    assert activate(lan).active
    watcher.close()
    # A second reset in the same second gets a file of its own.
    assert classroom.reset_world(box) != backup


def test_a_database_server_is_not_backed_up_from_the_screen(world):
    box = world[0]
    server = Sandbox(type("Db", (), {"url": "postgresql://lop@may-chu/kns"})(), actor="gv",
                     role="trainer")
    with pytest.raises(InvalidInput, match="máy chủ cơ sở dữ liệu"):
        classroom.reset_world(server)
    assert box.events() == []


# --- sample dossiers --------------------------------------------------------------------------


def verdict(dossier, today) -> str:
    """The case a sample dossier shows the back office."""
    if dossier.state is State.SUBMITTED:
        return "waiting"
    if dossier.state is State.SUPPLEMENT_REQUESTED:
        return "supplement_waiting"
    if dossier.resolved_at is None:
        return "overdue" if is_overdue(dossier, today) else "in_time"
    kind = WorkCalendar.classify(dossier.resolved_at, dossier.original_due)
    if kind is not Timeliness.LATE and any(s.state is State.SUPPLEMENT_REQUESTED
                                           for s in dossier.history):
        return "supplement_done"
    return {Timeliness.EARLY: "early", Timeliness.ON_TIME: "on_time",
            Timeliness.LATE: "late"}[kind]


def test_seeding_makes_real_dossiers_of_every_case(world):
    box, lan, _, official = world
    with pytest.raises(InvalidInput, match="Chỉ giảng viên"):
        classroom.seed_world(official)
    report = classroom.seed_world(box, seed=7)
    assert dict(report.cases) == dict(classroom.SEED_PLAN)
    dossiers = [box.dossiers.get(code) for code in report.codes]
    today = box.now().date()
    assert Counter(verdict(d, today) for d in dossiers) == Counter(dict(classroom.SEED_PLAN))
    for d in dossiers:
        assert box.dossiers.owner(d.code) == classroom.SEED_RESIDENT
        assert d.created_at < MONDAY_8AM and d.applicant["ho_ten"]
        assert all(step.at < MONDAY_8AM for step in d.history)
        assert {s.actor for s in d.history} <= {classroom.SEED_RESIDENT,
                                                 classroom.SEED_OFFICIAL}
    overdue = [d for d in dossiers if verdict(d, today) == "overdue"]
    assert all(0 < (today - d.due_date).days <= classroom.OVERDUE_WITHIN_DAYS for d in overdue)
    assert box.now() == MONDAY_8AM  # seeding writes history, it does not move the clock
    assert box.verify_chain().ok
    seeded = box.events(action="class.world_seeded")[0]
    assert seeded.payload == {"seed": 7, "dossiers": len(report.codes),
                              "cases": dict(report.cases)}
    assert lan.dossiers.list(owner=lan.actor) == []  # none lands in a learner's portal
    # The back office carries on with them: receive a waiting one, finish an overdue one.
    waiting = next(d for d in dossiers if d.state is State.SUBMITTED)
    assert official.dossiers.receive(waiting.code).state is State.RECEIVED
    finished = official.dossiers.move(overdue[0].code, State.RESOLVED)
    assert WorkCalendar.classify(finished.resolved_at, finished.due_date) is Timeliness.LATE


def test_the_same_seed_gives_the_same_sample_and_each_seeding_a_new_one(tmp_path):
    def sample(folder, seed=None):
        with Sandbox.open(folder, actor="gv", role="trainer", start=MONDAY_8AM,
                          clock_running=False) as box:
            report = classroom.seed_world(box, seed=seed)
            return report.seed, [(d.procedure_code, d.channel, d.state, d.applicant["ho_ten"])
                                 for d in map(box.dossiers.get, report.codes)]

    assert sample(tmp_path / "a", 11) == sample(tmp_path / "b", 11)
    first, second = sample(tmp_path / "c"), sample(tmp_path / "c")
    assert (first[0], second[0]) == (2025, 2026) and first[1] != second[1]
