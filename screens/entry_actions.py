"""The entry form's record actions: 新增, 暂存, 删除, 提交, 打印, 随附单据, and the reload after a receipt.

Each is a key of the action registry (widgets/actions.py, scope `entry`) and a toolbar button. A
locked (submitted) record refuses 暂存, 删除 and 提交 with its status named; a refusal of the store
marks the fields it names (screens/entry_refusals.py); a database fault keeps the form as a draft
(screens/entry_persist.py). Loads are awaited, not run as workers: a key typed after F2 acts on
the saved record.

`RecordActions` is a mixin of `EntryPane` (screens/entry.py): its methods act on the pane.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.widgets import Button

from customs.card import CardError
from customs.errors import GatewayError
from declarant.worker import NotConnected, SubmitOutcome
from screens.attachments import AttachmentsScreen
from screens.confirm import ConfirmScreen
from screens.entry_copy import CopyRecord
from screens.entry_messages import Hint, RecordSaved, error_text
from screens.entry_numbers import announce_saved
from screens.entry_persist import discard_draft, guarded, refused
from screens.print_preview import PrintPreviewScreen
from store.attachments import AttachmentStore
from store.copying import copy_of
from store.errors import StoreError
from store.rules import RuleError
from widgets.fields import CheckGroup, FieldInput

if TYPE_CHECKING:
    from screens.entry import EntryPane


class RecordActions:
    """What the pane does with its whole record (a mixin of EntryPane)."""

    def action_copy_record(self: EntryPane) -> None:
        """复制: a new form with every typed field of this one (screens/main.py opens it)."""
        self.post_message(CopyRecord(copy_of(self.collect(), self.ctx.store.new_record())))

    async def action_new_record(self: EntryPane) -> None:
        if not self.dirty:
            await self._clear()
            return

        async def answered(yes: bool | None) -> None:
            if yes:
                await self._clear()

        self.app.push_screen(
            ConfirmScreen("新增", "当前录入的内容尚未暂存，新增将清空且不可恢复。确定新增？"),
            answered,
        )

    async def _clear(
        self: EntryPane, said: str = "已清空，请录入新的出口退货信息", kind: str = "hint"
    ) -> None:
        discard_draft(self)  # now, or once the database answers again
        self.draft_key = str(uuid.uuid4())
        self._fetched_no = None
        self.drop_backfill()  # an answer on its way belongs to the record cleared
        self.book.forget()
        self.backfilled = {}
        await self.load(self.ctx.store.new_record())  # awaited: keys typed after wait for it
        self.post_message(RecordSaved(self, ""))  # the tab's title follows: 录入
        self._focus_and_say(self.fields["import_decl_no"], Hint(said, kind=kind))

    async def action_save(self: EntryPane) -> bool:
        if self.status.locked:
            self.post_message(Hint(f"状态为“{self.status.label}”的数据不允许暂存", kind="error"))
            return False
        focused = self.app.focused
        if isinstance(focused, (FieldInput, CheckGroup)):
            self.commit(focused, moving=False)
        record = self.collect()
        try:
            saved = self.ctx.store.save(record)
        except RuleError as error:
            self.refusals.violations(error.violations)
            return False
        except StoreError as error:
            refused(self, "暂存", error)
            return False
        discard_draft(self)
        first_save = record.key is None
        await self.load(saved)  # awaited, not a worker: a key typed after F2 comes after it
        self.dirty = False
        announce_saved(self, saved)  # and, online, the gateway's 统一编号 for a first save
        if first_save and saved.key:
            self.post_message(RecordSaved(self, saved.key))
        return True

    def action_delete(self: EntryPane) -> None:
        if not self.record.key:
            self.post_message(Hint("尚未暂存的数据无需删除，可按F3新增清空", kind="error"))
            return
        if self.status.locked:
            self.post_message(Hint(f"状态为“{self.status.label}”的数据不允许删除", kind="error"))
            return
        unified_no, label = self.record.key, self.record.number_label

        async def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.ctx.store.delete(unified_no, version=self.record.version)
            except StoreError as error:
                refused(self, "删除", error)
                return
            await self._clear(f"已删除 {label}", kind="ok")

        self.app.push_screen(
            ConfirmScreen("删除", f"确定删除统一编号 {label} 的数据？删除后不可恢复。"),
            answered,
        )

    async def action_submit(self: EntryPane) -> None:
        if self.status.locked:
            self.post_message(Hint(f"状态为“{self.status.label}”的数据不能提交", kind="error"))
            return
        if (self.dirty or not self.record.key) and not await self.action_save():
            return
        self.submit_record()

    @work(exclusive=True, group="submit")
    async def submit_record(self: EntryPane) -> None:
        unified_no, version = self.record.key, self.record.version
        assert unified_no and version
        self.post_message(Hint("正在提交：校验、电子口岸卡签名、发送海关…"))
        self.query_one("#btn-submit", Button).disabled = True
        try:
            result = await self.ctx.worker.submit(unified_no, version=version)
        except RuleError as error:
            self.refusals.violations(error.violations)
            self._apply_status()
            return
        except (NotConnected, StoreError, CardError, GatewayError) as error:
            self.post_message(Hint(error_text(error), kind="error"))
            self._apply_status()
            return
        await self._load_stored()
        if result.outcome == SubmitOutcome.ACCEPTED:
            self.post_message(Hint(f"提交成功，状态：{self.status.label}", kind="ok"))
        elif result.outcome == SubmitOutcome.PENDING:
            self.post_message(Hint(f"{result.message}（状态：已提交，等待海关应答）", kind="error"))
        else:
            self.post_message(Hint(f"提交失败：{result.message}", kind="error"))

    async def reload(self: EntryPane) -> None:
        """Show the stored record again (its status moved by a receipt).

        A locked record has no edits to keep (its fields are closed); an editable one is reloaded
        only when the form holds nothing unsaved.
        """
        if self.record.key and (self.status.locked or not self.dirty):
            await self._load_stored()

    @guarded("读取记录")
    async def _load_stored(self: EntryPane) -> None:
        """The record as the store holds it now (read under the lock: never an older copy)."""
        unified_no = self.record.key
        assert unified_no
        async with self._loading:
            await self._load(self.ctx.store.load(unified_no), dirty=False)

    @guarded("打印")
    def action_print(self: EntryPane) -> None:
        record = self.collect()
        receipts = self.ctx.store.receipts(record.key) if record.key else []
        self.app.push_screen(
            PrintPreviewScreen(
                record,
                receipts,
                operator_name=self.ctx.operator.name,
                out_dir=self.ctx.settings.data_dir / "exports",
                printer=self.ctx.settings.printer,
            )
        )

    def action_attachments(self: EntryPane) -> None:
        if not self.record.key:
            self.post_message(Hint("请先暂存（Alt+S），再添加随附单据", kind="error"))
            return
        store = AttachmentStore(
            self.ctx.engine, self.ctx.operator, max_bytes=self.ctx.settings.attachment_max_bytes
        )
        self.app.push_screen(
            AttachmentsScreen(
                store, self.record.key, locked=self.status.locked, start_dir=Path.cwd()
            )
        )
