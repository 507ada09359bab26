// The course editor: checks the file as it is typed (debounced), shows the preview, and
// publishes. Requests are JSON, which a form on another site cannot send.
"use strict";

const source = () => document.getElementById("zrodlo");
const result = () => document.getElementById("wynik");
const preview = () => document.getElementById("podglad");

function show(element, nodes) {
  element.replaceChildren(...nodes);
}

function paragraph(text, className) {
  const p = document.createElement("p");
  p.textContent = text;
  if (className) p.className = className;
  return p;
}

async function send(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  if (response.status === 401) {
    return { errors: [{ line: 0, message: "Sesja wygasła: poproś bota o nowy link poleceniem „!kurs edytor”." }] };
  }
  return response.json();
}

function showErrors(errors) {
  const list = document.createElement("ul");
  for (const error of errors) {
    const item = document.createElement("li");
    item.className = "blad";
    item.textContent = error.line > 0 ? `Wiersz ${error.line}: ${error.message}` : error.message;
    list.append(item);
  }
  show(result(), [paragraph("Plik ma błędy i nie zostanie opublikowany:", "blad"), list]);
  show(preview(), [paragraph("Podgląd pojawi się, gdy plik będzie poprawny.")]);
}

async function check() {
  const answer = await send("/kursy/edytor/podglad", { source: source().value });
  if (answer.errors && answer.errors.length > 0) {
    showErrors(answer.errors);
    return false;
  }
  show(result(), [paragraph(answer.summary, "dobrze")]);
  // The preview is sanitised on the server, as the chat shows it.
  const holder = document.createElement("div");
  holder.innerHTML = answer.html;
  show(preview(), [holder]);
  return true;
}

async function publish(event) {
  event.preventDefault();
  const answer = await send("/kursy/edytor/opublikuj", { source: source().value });
  if (answer.errors && answer.errors.length > 0) {
    showErrors(answer.errors);
    return;
  }
  show(result(), [paragraph(answer.published, "dobrze")]);
}

let timer = null;
document.addEventListener("DOMContentLoaded", () => {
  source().addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
  document.getElementById("sprawdz").addEventListener("click", check);
  document.getElementById("edytor").addEventListener("submit", publish);
  if (source().value.trim() !== "") check();
});
