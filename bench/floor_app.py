"""The floor for bench/learning.py: a bare Flask + Flask-SQLAlchemy page reading one row.

Served by gunicorn exactly as the LMS is (``gunicorn floor_app:app``), on its own SQLite
file named by ``FLOOR_DATABASE_URL``; no page of the LMS can be faster than this one.
"""

import os

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy.orm import Mapped, mapped_column

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["FLOOR_DATABASE_URL"]
app.jinja_loader = DictLoader({"page.html": "<!doctype html><title>{{ item.name }}</title><p>{{ item.name }}: {{ item.value }}</p>"})
db = SQLAlchemy(app)


class Item(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    value: Mapped[int]


with app.app_context():
    db.create_all()
    if db.session.get(Item, 1) is None:
        db.session.add(Item(id=1, name="Sàn", value=42))
        db.session.commit()


@app.get("/")
def page():
    return render_template("page.html", item=db.session.get(Item, 1))
