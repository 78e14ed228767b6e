// The developer page of the Api: posts a query to /graphql and shows the answer; documents the schema from introspection.
'use strict';

// The page lives at /graphiql/, the endpoint at /graphql.
const endpoint = new URL('../graphql', document.baseURI).pathname;
const $ = (id) => document.getElementById(id);
const introspection = `{ __schema { queryType { name } mutationType { name }
  types { kind name description
    fields { name description args { name description type { ...T } defaultValue } type { ...T } isDeprecated deprecationReason }
    inputFields { name description type { ...T } defaultValue }
    enumValues { name description } } } }
  fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;
let types = new Map();

async function post(query, variables, operationName) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json' };
  const key = $('key').value.trim();
  if (key) headers['X-Api-Key'] = key;
  const started = performance.now();
  const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables, operationName }) });
  const text = await response.text();
  return { status: response.status, ms: performance.now() - started, text };
}

async function run() {
  let variables = null;
  try {
    variables = $('variables').value.trim() ? JSON.parse($('variables').value) : null;
  } catch (error) {
    $('status').textContent = 'variables are not valid JSON: ' + error.message;
    return;
  }
  localStorage.setItem('musicsearch.query', $('query').value);
  localStorage.setItem('musicsearch.variables', $('variables').value);
  $('status').textContent = 'running…';
  const answer = await post($('query').value, variables, $('operation').value.trim() || null);
  $('status').textContent = `HTTP ${answer.status} in ${answer.ms.toFixed(0)} ms`;
  try {
    $('result').textContent = JSON.stringify(JSON.parse(answer.text), null, 2);
  } catch {
    $('result').textContent = answer.text;
  }
}

function typeName(type) {
  if (type.kind === 'NON_NULL') return typeName(type.ofType) + '!';
  if (type.kind === 'LIST') return '[' + typeName(type.ofType) + ']';
  return type.name;
}

function namedType(type) {
  return type.ofType ? namedType(type.ofType) : type.name;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function typeLink(type) {
  const link = element('a', typeName(type));
  link.addEventListener('click', () => show(namedType(type)));
  return link;
}

function show(name) {
  const type = types.get(name);
  const docs = $('docs');
  docs.replaceChildren();
  const back = element('a', '← schema');
  back.addEventListener('click', showRoots);
  docs.append(back, element('h2', `${type.kind.toLowerCase()} ${type.name}`));
  if (type.description) docs.append(element('p', type.description));
  for (const field of type.fields || type.inputFields || []) {
    const line = element('div', null, 'field');
    line.append(element('strong', field.name));
    if (field.args && field.args.length) {
      const args = element('span', null, 'args');
      args.append('(');
      field.args.forEach((arg, i) => {
        args.append(`${i ? ', ' : ''}${arg.name}: `, typeLink(arg.type), arg.defaultValue !== null ? ` = ${arg.defaultValue}` : '');
      });
      args.append(')');
      line.append(args);
    }
    line.append(': ', typeLink(field.type));
    if (field.description) line.append(element('p', field.description));
    docs.append(line);
  }
  for (const value of type.enumValues || []) {
    docs.append(element('div', value.name, 'field'));
    if (value.description) docs.append(element('p', value.description));
  }
}

function showRoots() {
  const docs = $('docs');
  docs.replaceChildren(element('h2', 'Schema'));
  for (const type of [...types.values()].filter((t) => !t.name.startsWith('__')).sort((a, b) => a.name.localeCompare(b.name))) {
    const line = element('div', null, 'field');
    const link = element('a', type.name);
    link.addEventListener('click', () => show(type.name));
    line.append(link, ` (${type.kind.toLowerCase()})`);
    docs.append(line);
  }
}

async function loadDocs() {
  const answer = await post(introspection, null, null);
  try {
    const schema = JSON.parse(answer.text).data.__schema;
    types = new Map(schema.types.map((type) => [type.name, type]));
    show(schema.queryType.name);
  } catch {
    $('docs').textContent = `The schema could not be read (HTTP ${answer.status}); set an API key and reload.`;
  }
}

$('query').value = localStorage.getItem('musicsearch.query')
  || '{\n  tracks(first: 5) {\n    nodes { id title artist }\n  }\n  indexing { progress { done total } }\n}\n';
$('variables').value = localStorage.getItem('musicsearch.variables') || '';
$('key').value = sessionStorage.getItem('musicsearch.key') || '';
$('key').addEventListener('change', () => { sessionStorage.setItem('musicsearch.key', $('key').value); loadDocs(); });
$('run').addEventListener('click', run);
document.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) run();
});
loadDocs();
