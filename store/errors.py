"""Named errors of the store, each with the operator's message in Chinese (`message`)."""

from __future__ import annotations

from store.status import Status


class StoreError(Exception):
    message = "数据库操作失败"

    def __init__(self, message: str | None = None, detail: str = "") -> None:
        if message is not None:
            self.message = message
        self.detail = detail
        super().__init__(self.message if not detail else f"{self.message} ({detail})")


class RecordNotFound(StoreError):
    message = "记录不存在或无权访问"


class StaleRecord(StoreError):
    """A save over a version someone else has changed since it was loaded."""

    message = "该记录已被他人修改，请重新打开后再修改，您的录入内容保留在草稿中"


class RecordLocked(StoreError):
    """Save or delete refused in a locked status (已提交, 海关接收成功, 电子审核完成, 人工审核通过)."""

    def __init__(self, status: Status, action: str) -> None:
        self.status = status
        super().__init__(f"状态为“{status.label}”的数据已被海关接收，不允许{action}")


class NotSubmittable(StoreError):
    def __init__(self, status: Status) -> None:
        self.status = status
        super().__init__(f"状态为“{status.label}”的数据不能提交")


class NoUnifiedNo(StoreError):
    """提交 of a record that holds only a local draft number: the gateway issues the 统一编号 first."""

    message = "该记录尚无统一编号（仅有本地草稿号），请在连接海关网关后提交"


class StrayReceipt(RecordNotFound):
    """A receipt for no record and round this database submitted: kept aside, applied to nothing."""

    message = "回执不属于本机提交的任何记录"


class DatabaseFault(StoreError):
    """The database did not answer as a database should: locked, full, read-only, away, damaged.

    `state` is the short Chinese state for the status line, `message` the operator's sentence,
    `detail` the driver's own English text for the log. Raised in place of SQLAlchemy's errors by
    the engine's error hook (`store.faults`); nothing written by the failed call is kept.
    """

    state = "数据库异常"
    message = "数据库操作失败"

    def __init__(self, detail: str = "", *, message: str | None = None) -> None:
        super().__init__(message, detail)


class DatabaseBusy(DatabaseFault):
    state = "数据库忙"
    message = "数据库忙：另一程序正在写入，请稍后重试"


class DiskFull(DatabaseFault):
    state = "磁盘已满"
    message = "磁盘已满：请清理数据库所在磁盘的空间"


class DatabaseReadOnly(DatabaseFault):
    state = "数据库只读"
    message = "数据库只读：请检查数据库文件的权限或磁盘挂载"


class DatabaseUnreachable(DatabaseFault):
    state = "无法连接数据库"
    message = "无法连接数据库：请确认数据库服务已启动、网络可达"


class DatabaseCorrupt(DatabaseFault):
    state = "数据库文件损坏"
    message = "数据库文件损坏或不是 tuihuo 的数据库"
