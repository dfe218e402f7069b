"""The comparison for ``benchmarks.end_to_end``: the lost-card report written the common way with python-telegram-bot.

A PTB ``Application`` with one ``ConversationHandler`` (``persistent=True``) and a ``PicklePersistence`` file,
the same questions and the same number of replies per turn as Kawal Bansos gives a new person, reports stored
in SQLite (``sqlite3``, one commit per report), webhook mode: a small Starlette app checks the secret-token
header and puts each Update on ``application.update_queue`` (what PTB's own webhook server does), answering 200
at once. Replies go to ``--api-url`` (the benchmark's fake Bot API).

Run by the benchmark as ``python -m benchmarks._ptb_bot --port … --api-url … --token … --secret … --data-dir …``.
Not a benchmark module itself (the leading underscore keeps ``python -m benchmarks`` from running it).
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ContextTypes, ConversationHandler, MessageHandler, PicklePersistence, filters

CONSENT, VILLAGE, MENU, CATEGORY, NAME, LETTER, CONFIRM = range(7)

CONSENT_TEXT = (
    "Kawal Bansos membantu Anda melapor masalah kartu KKS, saldo, atau e-Warong.\n"
    "Kami simpan nomor HP, desa, dan laporan Anda. Setuju?"
)
VILLAGE_QUESTION = "Di desa atau kelurahan mana Anda tinggal? Tulis namanya, contoh: Pasteur"
VILLAGE_THANKS = "Terima kasih. Tempat Anda: {village}. (Salah? Ketik GANTI DESA.)"
MENU_TEXT = "Menu utama. Balas dengan nomor:"
MENU_OPTIONS = ("Lapor masalah kartu atau bantuan", "Cek status laporan", "Jadwal pertemuan dan penyaluran")
CATEGORY_TEXT = "Apa masalahnya? Balas dengan nomor:"
CATEGORIES = ("Kartu KKS hilang", "Kartu KKS rusak", "PIN terblokir atau lupa", "Masalah lain")
NAME_QUESTION = "Siapa nama kepala keluarga penerima bantuan?"
LETTER_QUESTION = "Sudah punya surat keterangan kehilangan dari desa atau kelurahan?"
SUMMARY = "Periksa laporan Anda:\nMasalah: {category}\nKeluarga: {name}\nSurat kehilangan: {letter}\nKirim laporan ini?"
RECEIPT = "Laporan Anda sudah kami terima. Nomor laporan: KB-{number:05d}"
NEXT_STEPS = (
    "Langkah selanjutnya:\n1. Minta surat keterangan kehilangan di kantor desa atau kelurahan.\n"
    "2. Lapor kehilangan ke Polsek dengan surat itu.\n3. Bawa surat dari Polsek ke Dinas Sosial.\n"
    "4. Bank akan mencetak ulang kartu Anda."
)
NOTE = "Laporan ini untuk membantu Anda, bukan untuk menghukum. Ketik STATUS kapan saja untuk melihat perkembangannya."
STATUS_LINE = "KB-{number:05d} - {category}: Baru diterima"
NO_REPORTS = "Belum ada laporan."
NOT_UNDERSTOOD = "Maaf, jawaban itu belum kami mengerti. Balas dengan nomor pilihan."


def keyboard(labels: tuple[str, ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=str(n))] for n, label in enumerate(labels, 1)]
    )


class Reports:
    """The reports table in a SQLite file; one connection, used from the event loop only."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, check_same_thread=False)
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY, chat_id INTEGER, category TEXT, "
            "household TEXT, has_letter TEXT, village TEXT)"
        )
        self.connection.commit()

    def add(self, chat_id: int, answers: dict[str, str]) -> int:
        cursor = self.connection.execute(
            "INSERT INTO reports (chat_id, category, household, has_letter, village) VALUES (?, ?, ?, ?, ?)",
            (chat_id, answers["category"], answers["name"], answers["letter"], answers.get("village", "")),
        )
        self.connection.commit()
        return int(cursor.lastrowid or 0)

    def of(self, chat_id: int) -> list[tuple[int, str]]:
        return list(
            self.connection.execute("SELECT id, category FROM reports WHERE chat_id = ? ORDER BY id", (chat_id,))
        )


def _text(update: Update) -> str:
    message = update.effective_message
    return (message.text or "").strip() if message else ""


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=markup)


def _chat(update: Update) -> int:
    return update.effective_chat.id if update.effective_chat else 0


def _data(context: ContextTypes.DEFAULT_TYPE) -> dict[str, Any]:
    """The user's data (PTB gives ``None`` only for updates without a user, which this bot never sees)."""
    return context.user_data if context.user_data is not None else {}


class Bot:
    """The conversation's handlers; each answers with ``reply_text`` and returns the next state."""

    def __init__(self, reports: Reports) -> None:
        self.reports = reports

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await _reply(update, CONSENT_TEXT, keyboard(("Setuju", "Tidak")))
        return CONSENT

    async def consent(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        if _text(update).lower() not in ("1", "setuju", "ya"):
            return await self.start(update, context)
        await _reply(update, VILLAGE_QUESTION)
        return VILLAGE

    async def village(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        village = _text(update).title()
        _data(context)["village"] = village
        await _reply(update, VILLAGE_THANKS.format(village=village))
        return await self.menu(update, context)

    async def menu(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await _reply(update, MENU_TEXT, keyboard(MENU_OPTIONS))
        return MENU

    async def choose(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        text = _text(update).lower()
        if text in ("1", "lapor"):
            await _reply(update, CATEGORY_TEXT, keyboard(CATEGORIES))
            return CATEGORY
        if text in ("2", "status"):
            return await self.status(update, context)
        return await self.menu(update, context)

    async def status(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        rows = self.reports.of(_chat(update))
        lines = [STATUS_LINE.format(number=number, category=category) for number, category in rows]
        await _reply(update, "Laporan Anda:\n" + "\n".join(lines) if lines else NO_REPORTS)
        return await self.menu(update, context)

    async def category(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        text = _text(update)
        if not text.isdigit() or not 1 <= int(text) <= len(CATEGORIES):
            await _reply(update, NOT_UNDERSTOOD)
            return CATEGORY
        _data(context)["report"] = {"category": CATEGORIES[int(text) - 1]}
        await _reply(update, NAME_QUESTION)
        return NAME

    async def name(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        _data(context).setdefault("report", {})["name"] = _text(update)
        await _reply(update, LETTER_QUESTION, keyboard(("Sudah", "Belum")))
        return LETTER

    async def letter(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        text = _text(update).lower()
        answer = "Sudah" if text in ("1", "sudah") else "Belum"
        report = _data(context).setdefault("report", {})
        report["letter"] = answer
        summary = SUMMARY.format(category=report.get("category", ""), name=report.get("name", ""), letter=answer)
        await _reply(update, summary, keyboard(("Kirim laporan", "Batalkan")))
        return CONFIRM

    async def confirm(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        if _text(update).lower() not in ("1", "kirim"):
            return await self.menu(update, context)
        report = {**_data(context).pop("report", {}), "village": _data(context).get("village", "")}
        number = self.reports.add(_chat(update), report)
        for text in (RECEIPT.format(number=number), NEXT_STEPS, NOTE):
            await _reply(update, text)
        return await self.menu(update, context)

    def handler(self) -> ConversationHandler[Any]:
        text = filters.TEXT & ~filters.COMMAND
        return ConversationHandler(
            entry_points=[MessageHandler(filters.TEXT, self.start)],
            states={
                CONSENT: [MessageHandler(text, self.consent)],
                VILLAGE: [MessageHandler(text, self.village)],
                MENU: [MessageHandler(text, self.choose)],
                CATEGORY: [MessageHandler(text, self.category)],
                NAME: [MessageHandler(text, self.name)],
                LETTER: [MessageHandler(text, self.letter)],
                CONFIRM: [MessageHandler(text, self.confirm)],
            },
            fallbacks=[],
            name="report",
            persistent=True,
        )


def build_web_app(application: Application[Any, Any, Any, Any, Any, Any], secret: str) -> Starlette:
    """The webhook endpoint (secret checked, Update queued, 200 at once) and a health check for the benchmark."""

    async def webhook(request: Request) -> Response:
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != secret:
            return Response(status_code=403)
        update = Update.de_json(await request.json(), application.bot)
        await application.update_queue.put(update)
        return Response()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with application:
            await application.start()
            yield
            await application.stop()

    routes = [Route("/webhooks/telegram", webhook, methods=["POST"]), Route("/healthz", healthz)]
    return Starlette(routes=routes, lifespan=lifespan)


def expected_replies(village: str, name: str) -> list[list[str]]:
    """The texts this bot sends for each turn of ``benchmarks.end_to_end.TURNS`` (the report number as KB-X)."""
    summary = SUMMARY.format(category=CATEGORIES[0], name=name, letter="Belum")
    status = "Laporan Anda:\n" + STATUS_LINE.format(number=0, category=CATEGORIES[0])
    return [
        [CONSENT_TEXT],
        [VILLAGE_QUESTION],
        [VILLAGE_THANKS.format(village=village.title()), MENU_TEXT],
        [CATEGORY_TEXT],
        [NAME_QUESTION],
        [LETTER_QUESTION],
        [summary],
        [RECEIPT.format(number=0), NEXT_STEPS, NOTE, MENU_TEXT],
        [status, MENU_TEXT],
        [MENU_TEXT],
        [status, MENU_TEXT],
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks._ptb_bot")
    for option in ("--api-url", "--token", "--secret", "--data-dir"):
        parser.add_argument(option, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    data = Path(args.data_dir)
    bot = Bot(Reports(data / "reports.db"))
    application = (
        Application.builder()
        .token(args.token)
        .base_url(f"{args.api_url}/bot")
        .base_file_url(f"{args.api_url}/file/bot")
        .persistence(PicklePersistence(data / "conversations.pickle"))
        .updater(None)
        .build()
    )
    application.add_handler(bot.handler())
    uvicorn.run(build_web_app(application, args.secret), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
