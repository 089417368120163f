# The notes API of examples/rest_api.cpp, in FastAPI (Debian bookworm's 0.92 with
# pydantic 1.10), written as its documentation shows: docs/typed_handlers.md sets the
# two side by side. Run: uvicorn notes_fastapi:app
import threading
from datetime import datetime, timezone
from enum import Enum
from typing import List, Optional

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Response
from pydantic import BaseModel, Field


class Priority(str, Enum):
    low = "low"
    normal = "normal"
    high = "high"


class NoteIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    body: Optional[str] = Field(None, max_length=10000)
    tags: List[str] = Field([], max_items=10)
    level: Priority = Priority.normal
    due: Optional[datetime] = None


class Note(NoteIn):
    id: int
    owner: str
    created: datetime


def current_user(x_user: str = Header(min_length=1, max_length=64)) -> str:
    return x_user


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.notes = {}
        self.next_id = 1

    def owned(self, owner, note_id):
        note = self.notes.get(note_id)
        if note is None or note.owner != owner:
            raise HTTPException(404, "Note not found")
        return note


app = FastAPI(title="Notes", version="1.0.0")
store = Store()


@app.post("/notes", status_code=201, response_model=Note)
def create(note: NoteIn, response: Response, owner: str = Depends(current_user)):
    with store.lock:
        created = Note(**note.dict(), id=store.next_id, owner=owner,
                       created=datetime.now(timezone.utc).replace(microsecond=0))
        store.notes[created.id] = created
        store.next_id += 1
    response.headers["location"] = f"/notes/{created.id}"
    return created


@app.get("/notes", response_model=List[Note])
def list_notes(tag: Optional[str] = None, limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0),
               owner: str = Depends(current_user)):
    with store.lock:
        mine = [n for n in store.notes.values() if n.owner == owner and (tag is None or tag in n.tags)]
    return mine[offset:offset + limit]


@app.get("/notes/{note_id}", response_model=Note)
def get_note(note_id: int, owner: str = Depends(current_user)):
    with store.lock:
        return store.owned(owner, note_id)


@app.put("/notes/{note_id}", response_model=Note)
def replace(note_id: int, note: NoteIn, owner: str = Depends(current_user)):
    with store.lock:
        old = store.owned(owner, note_id)
        store.notes[note_id] = Note(**note.dict(), id=note_id, owner=owner, created=old.created)
        return store.notes[note_id]


@app.delete("/notes/{note_id}", status_code=204)
def delete(note_id: int, owner: str = Depends(current_user)):
    with store.lock:
        store.owned(owner, note_id)
        del store.notes[note_id]
    return Response(status_code=204)
