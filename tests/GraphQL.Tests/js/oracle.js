// Answers a batch of questions with graphql-js, the reference implementation the C# engine is compared against.
// Usage: node oracle.js requests.json — prints a JSON array with one answer per request, in order.
// One process answers a whole test class, so Node starts once per class rather than once per case.
'use strict';
const fs = require('fs');
const graphql = require('graphql');

function errorOf(error) {
  return {
    message: error.message,
    locations: error.locations,
    path: error.path,
  };
}

// Root values come as JSON. A field whose value is {"$throw": "message"} throws, {"$async": value} resolves later,
// {"$echo": true} returns its arguments as JSON text, so that errors, asynchronous resolution and argument coercion
// can be described without code.
function liven(value) {
  if (Array.isArray(value)) {
    return value.map(liven);
  }
  if (value !== null && typeof value === 'object') {
    if ('$throw' in value) {
      const message = value.$throw;
      return () => { throw new Error(message); };
    }
    if ('$echo' in value) {
      return (args) => JSON.stringify(args);
    }
    if ('$async' in value) {
      const inner = liven(value.$async);
      return async (args) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return typeof inner === 'function' ? inner(args) : inner;
      };
    }
    const result = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = liven(item);
    }
    return result;
  }
  return value;
}

const handlers = {
  parse({ source }) {
    return { printed: graphql.print(graphql.parse(source)) };
  },
  printSchema({ sdl }) {
    const schema = graphql.buildSchema(sdl);
    const errors = graphql.validateSchema(schema).map((e) => e.message);
    return { printed: graphql.printSchema(schema), errors };
  },
  printIntrospectionSchema() {
    return { printed: graphql.printIntrospectionSchema(graphql.buildSchema('type Query { a: Int }')) };
  },
  clientSchema({ introspection }) {
    const schema = graphql.buildClientSchema(introspection);
    const errors = graphql.validateSchema(schema).map((e) => e.message);
    return { printed: graphql.printSchema(schema), errors };
  },
  introspectionQuery({ options }) {
    return { query: graphql.getIntrospectionQuery(options) };
  },
  validate({ sdl, query }) {
    const schema = graphql.buildSchema(sdl);
    return { errors: graphql.validate(schema, graphql.parse(query)).map(errorOf) };
  },
  async execute({ sdl, query, variables, operationName, rootValue }) {
    const schema = graphql.buildSchema(sdl);
    const result = await graphql.graphql({
      schema,
      source: query,
      variableValues: variables,
      operationName,
      rootValue: liven(rootValue),
    });
    return JSON.parse(JSON.stringify(result));
  },
};

async function main() {
  const requests = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const answers = [];
  for (const request of requests) {
    try {
      answers.push(await handlers[request.op](request));
    } catch (error) {
      answers.push({ error: { message: error.message, locations: error.locations } });
    }
  }
  process.stdout.write(JSON.stringify(answers));
}

main();
