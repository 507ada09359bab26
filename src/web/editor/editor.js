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

function showFiles(answer) {
  const holder = document.getElementById("lista-plikow");
  if (answer.errors && answer.errors.length > 0) {
    holder.replaceChildren(...answer.errors.map((e) => paragraph(e.message, "blad")));
    return;
  }
  if (!answer.files || answer.files.length === 0) {
    holder.replaceChildren(paragraph("Nie dodano jeszcze plików."));
    return;
  }
  const list = document.createElement("ul");
  for (const file of answer.files) {
    const item = document.createElement("li");
    const kind = file.image ? "obraz" : "plik";
    item.append(`${file.name} (${kind}, ${Math.ceil(file.size / 1024)} KB) `);
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Usuń";
    remove.setAttribute("aria-label", `Usuń ${file.name}`);
    remove.addEventListener("click", async () => {
      showFiles(await send("/kursy/edytor/pliki/usun", { name: file.name }));
      check();
    });
    item.append(remove);
    list.append(item);
  }
  holder.replaceChildren(list);
}

async function upload() {
  const input = document.getElementById("pliki");
  for (const file of input.files) {
    const response = await fetch(`/kursy/edytor/pliki?nazwa=${encodeURIComponent(file.name)}`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: file,
      credentials: "same-origin",
    });
    if (response.status === 413) {
      showFiles({ errors: [{ message: `Plik „${file.name}” jest większy niż 10 MB.` }] });
      return;
    }
    if (response.status === 401) {
      showFiles({ errors: [{ message: "Sesja wygasła: poproś bota o nowy link poleceniem „!kurs edytor”." }] });
      return;
    }
    showFiles(await response.json());
  }
  input.value = "";
  check();
}

let timer = null;
document.addEventListener("DOMContentLoaded", () => {
  source().addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
  document.getElementById("sprawdz").addEventListener("click", check);
  document.getElementById("edytor").addEventListener("submit", publish);
  document.getElementById("pliki").addEventListener("change", upload);
  send("/kursy/edytor/pliki/lista", {}).then(showFiles);
  if (source().value.trim() !== "") check();
});
