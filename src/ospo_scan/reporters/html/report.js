"use strict";
// Sorting and filtering for the tables of the ospo-scan HTML report.
// The tables are complete without this script; it only reorders and hides rows. It
// reads cells as text and never writes markup, so a scanned value cannot become code.
//
// A table with more rows than its data-limit shows the first rows only (a CSS rule,
// so it holds without this script too; a checkbox shows them all): laying out 18,000
// rows takes a browser seconds. Rows that match the filter are therefore moved first,
// in the current order, so the rows shown are the first matching ones.
(function () {
  const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

  // The value a cell sorts by: its data-sort attribute when it has one (a severity
  // sorts by rank, not name), else its text; numbers as numbers, an empty one first.
  function sortKey(cell, numeric) {
    const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    if (!numeric) {
      return raw;
    }
    const value = Number.parseFloat(raw);
    return Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value;
  }

  function compare(left, right, numeric) {
    if (numeric) {
      return left < right ? -1 : left > right ? 1 : 0;
    }
    return collator.compare(left, right);
  }

  function setUp(table) {
    const state = {
      rows: Array.from(table.tBodies[0].rows),
      texts: new Map(),
      words: [],
      shown: 0,
    };
    state.shown = state.rows.length;
    for (const row of state.rows) {
      state.texts.set(row, row.textContent.toLowerCase());
    }
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach(function (header, column) {
      const button = header.querySelector("button");
      if (button) {
        button.addEventListener("click", function () { sortBy(table, state, headers, column); });
      }
    });
    const tools = document.querySelector('[data-filter-for="' + table.id + '"]');
    if (tools) {
      const input = tools.querySelector("input");
      input.addEventListener("input", function () {
        state.words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        show(table, state);
      });
      tools.hidden = false;
    }
    const all = document.getElementById(table.id + "-all");
    if (all) {
      all.addEventListener("change", function () { count(table, state); });
    }
  }

  // Ascending on the first click, then each click turns the order around; rows that
  // tie keep their current order, so sorting by one column then another nests.
  function sortBy(table, state, headers, column) {
    const header = headers[column];
    const numeric = header.dataset.type === "number";
    const direction = header.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    const keyed = state.rows.map(function (row, position) {
      return { row: row, position: position, key: sortKey(row.cells[column], numeric) };
    });
    keyed.sort(function (a, b) {
      return direction * compare(a.key, b.key, numeric) || a.position - b.position;
    });
    state.rows = keyed.map(function (entry) { return entry.row; });
    for (const other of headers) {
      other.setAttribute("aria-sort", "none");
    }
    header.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
    show(table, state);
  }

  // Every word typed must occur in the row (any column, any case). The rows go into a
  // detached body that replaces the old one: moving rows inside the live table makes
  // the browser restyle it once per row.
  function show(table, state) {
    const body = table.tBodies[0].cloneNode(false);
    const rest = [];
    let shown = 0;
    for (const row of state.rows) {
      const text = state.texts.get(row);
      const match = state.words.every(function (word) { return text.includes(word); });
      row.hidden = !match;
      if (match) {
        body.appendChild(row);
        shown += 1;
      } else {
        rest.push(row);
      }
    }
    for (const row of rest) {
      body.appendChild(row);
    }
    table.replaceChild(body, table.tBodies[0]);
    state.shown = shown;
    count(table, state);
  }

  function count(table, state) {
    const counter = document.querySelector('[data-filter-for="' + table.id + '"] output');
    if (!counter) {
      return;
    }
    const all = document.getElementById(table.id + "-all");
    const limit = all && !all.checked ? Number.parseInt(table.dataset.limit, 10) : 0;
    const cut = limit > 0 && state.shown > limit ? " (the first " + limit + " shown)" : "";
    counter.textContent = state.shown + " of " + state.rows.length + " rows" + cut;
  }

  document.querySelectorAll("table.sortable").forEach(setUp);
})();
