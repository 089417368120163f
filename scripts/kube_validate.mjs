// Validates Kubernetes manifests against the API's schemas (scripts/kube_check.sh runs
// it with its packages from npm): kubernetes-models' validators, generated from the
// Kubernetes OpenAPI spec, check types, required fields and formats; TypeScript then
// checks the same documents against the API's types, whose excess-property rule
// rejects any field the API does not have (a misspelt "readinesProbe" would otherwise
// be silently ignored by a cluster).
// Usage: node kube_validate.mjs FILE.yaml...
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
// kubernetes-models' module for an apiVersion: "apps/v1" -> kubernetes-models/apps/v1.
const modulePath = (apiVersion) => `kubernetes-models/${apiVersion}`;

let failures = 0;
const typed = [];
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, "utf8"))) {
    if (!doc) continue;
    const where = `${path.basename(file)}: ${doc.kind} ${doc.metadata?.name ?? ""}`;
    let models;
    try {
      models = await import(modulePath(doc.apiVersion));
    } catch {
      console.log(`FAIL  ${where}: unknown apiVersion ${doc.apiVersion}`);
      failures++;
      continue;
    }
    const Model = models[doc.kind];
    if (!Model) {
      console.log(`FAIL  ${where}: no kind ${doc.kind} in ${doc.apiVersion}`);
      failures++;
      continue;
    }
    try {
      new Model(doc).validate();
      typed.push({ where, doc });
    } catch (error) {
      console.log(`FAIL  ${where}: ${error.message}`);
      failures++;
    }
  }
}

// The excess-property check: one TypeScript constant per document, typed by its kind.
const lines = [];
typed.forEach(({ doc }, i) => {
  lines.push(`import type { I${doc.kind} as T${i} } from "${modulePath(doc.apiVersion)}";`);
  lines.push(`export const doc${i}: T${i} = ${JSON.stringify(doc, null, 2)};`);
});
const checkFile = path.join(here, "manifests_check.ts");
fs.writeFileSync(checkFile, lines.join("\n") + "\n");
try {
  execFileSync(path.join(here, "node_modules", ".bin", "tsc"),
               ["--noEmit", "--strict", "--module", "esnext", "--moduleResolution", "bundler", "--target", "es2020",
                checkFile], { stdio: "pipe" });
  for (const { where } of typed) console.log(`ok    ${where}`);
} catch (error) {
  console.log(`FAIL  fields the Kubernetes API does not have:\n${error.stdout}`);
  failures++;
}
process.exit(failures ? 1 : 0);
