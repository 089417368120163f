"""POST /model as FastAPI writes it (bench/apps/model_app.cpp is cogi's): read a
5-field model, validate it, answer it back with a computed total. Debian bookworm's
FastAPI 0.92 and pydantic 1.10, on uvicorn with uvloop and httptools."""
from typing import List, Optional

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field


class OrderIn(BaseModel):
    customer: str = Field(min_length=1, max_length=100)
    quantity: int = Field(ge=1, le=1000)
    price: float = Field(gt=0)
    tags: List[str] = Field([], max_items=10)
    note: Optional[str] = Field(None, max_length=500)


class OrderOut(OrderIn):
    total: float


app = FastAPI()


@app.get("/plaintext", response_class=PlainTextResponse)
async def plaintext():
    return "Hello, World!"


@app.post("/model", response_model=OrderOut)
async def model(order: OrderIn):
    return OrderOut(**order.dict(), total=order.quantity * order.price)
