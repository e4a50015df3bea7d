"""The store's foundation: one database, its schema, and transactions that say what failed.

Every failure of the database becomes a StorageError naming it (never its password);
the last one is kept as `problem` for /healthz until a later write succeeds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Self, TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from bot import messages
from bot.errors import MigrationRefused, StorageError
from bot.schedule import migrate as migrations
from bot.schedule.database import (
    create_engine,
    database_url,
    describe,
    is_transient,
    not_a_database,
    reason_of,
    sqlite_file_problem,
)

T = TypeVar("T")
ATTEMPTS = 3  # of a transaction that hit a deadlock or a serialization failure
log = logging.getLogger("backupbot.store")


class Transactions:
    """A database shared by every replica, and transactions on it (read, write, claim)."""

    def __init__(self, engine: Engine, *, database: str) -> None:
        self.engine = engine
        self.database = database
        self._problem: StorageError | None = None

    @classmethod
    def connect(cls, url: str, *, isolation_level: str | None = None) -> Self:
        """The store at `url` (InvalidUrl if it is not a URL backupbot can use)."""
        parsed = database_url(url)
        engine = create_engine(parsed, isolation_level=isolation_level)
        return cls(engine, database=describe(parsed))

    def close(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

    @property
    def problem(self) -> StorageError | None:
        """The last failure, until a later write (or, after a failed read, a read) succeeds."""
        return self._problem

    # -- schema ------------------------------------------------------------------------

    def migrate(self) -> migrations.Migration:
        """Bring the schema to head (once, under a lock, however many replicas start)."""
        self._refuse_unusable_file()
        try:
            return migrations.migrate(self.engine)
        except DBAPIError as error:
            raise not_a_database(error) or self._failed(error, writing=True) from error
        except SQLAlchemyError as error:
            raise self._failed(error, writing=True) from error
        except ValueError as error:  # a 0.1 row the data migration cannot read
            raise MigrationRefused(str(error), messages.CORRECT_THAT_ROW) from error

    def schema(self) -> tuple[str | None, str]:
        """The database's schema revision and the one this backupbot needs, read only."""
        self._refuse_unusable_file()
        try:
            return migrations.current_revision(self.engine), migrations.head()
        except DBAPIError as error:
            raise not_a_database(error) or self._failed(error, writing=False) from error
        except SQLAlchemyError as error:
            raise self._failed(error, writing=False) from error

    def _refuse_unusable_file(self) -> None:
        problem = sqlite_file_problem(self.engine.url)
        if problem is not None:
            raise problem

    # -- transactions ------------------------------------------------------------------

    def transaction(
        self, work: Callable[[Connection], T], *, write: bool, claim: bool = False
    ) -> T:
        """Run `work` in one transaction; retry deadlocks; any other failure: StorageError.

        A broken constraint is the caller's to judge when it makes a claim (someone else
        holds it); elsewhere it is a race with a removal, not a broken store.
        """
        options = {} if write else {"sqlite_begin": "DEFERRED"}
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with (
                    self.engine.connect().execution_options(**options) as connection,
                    connection.begin(),
                ):
                    result = work(connection)
            except IntegrityError as error:
                if claim:
                    raise
                raise self._error(reason_of(error, url=self.engine.url), writing=write) from error
            except DBAPIError as error:
                if attempt < ATTEMPTS and is_transient(error):
                    continue
                raise self._failed(error, writing=write) from error
            except SQLAlchemyError as error:
                raise self._failed(error, writing=write) from error
            self._succeeded(writing=write)
            return result
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def read(self, work: Callable[[Connection], T]) -> T:
        """`work` in a read transaction, in a worker thread."""
        return await asyncio.to_thread(self.transaction, work, write=False)

    async def write(self, work: Callable[[Connection], T]) -> T:
        """`work` in a write transaction, in a worker thread."""
        return await asyncio.to_thread(self.transaction, work, write=True)

    async def claim(self, work: Callable[[Connection], bool]) -> bool:
        """A claim: True if this call took it; a key already taken (or gone) is False."""
        return bool(await self.claim_rows(work))

    async def claim_rows(self, work: Callable[[Connection], T]) -> T | None:
        """A claim that writes rows: what `work` returns, or None if one of its keys was
        taken already (or what it belongs to is gone): then it wrote nothing."""

        def claim() -> T | None:
            try:
                return self.transaction(work, write=True, claim=True)
            except IntegrityError:
                self._succeeded(writing=True)
                return None

        return await asyncio.to_thread(claim)

    def _error(self, reason: str, *, writing: bool) -> StorageError:
        """The StorageError of `reason`, naming the database (never its password)."""
        said = messages.store_failed(self.database, reason, writing=writing)
        return StorageError(said, database=self.database, reason=reason, writing=writing)

    def _failed(self, error: Exception, *, writing: bool) -> StorageError:
        failure = self._error(reason_of(error, url=self.engine.url), writing=writing)
        self._problem = failure  # whoever catches it says so, in their own words
        return failure

    def _succeeded(self, *, writing: bool) -> None:
        if self._problem is not None and (writing or not self._problem.writing):
            log.info("the state store (%s) works again", self.database)
            self._problem = None


class Part:
    """One part of the store (subscriptions, sends, ...), over the database it shares with
    the others: whoever needs that part is handed it alone."""

    def __init__(self, db: Transactions) -> None:
        self._db = db
