// The recorded engine run the examples' tests answer their mocks with
// (examples/testdata/setup-engine-run.json): the inputs examples/typescript and examples/python
// send, and the outputs the provider returned for them in an engine run. The setup test runs
// those inputs through the engine and compares what comes back with the recorded outputs, so
// the recording cannot go stale; `E2E_RECORD=1 make test-e2e-ts` rewrites the outputs.
import * as fs from "node:fs";
import * as path from "node:path";

export const recordingPath = path.resolve(__dirname, "..", "..", "examples", "testdata", "setup-engine-run.json");

export interface Recording {
    /** What it is, for a reader of the file. */
    comment: string;
    /** The component's name and inputs, as the examples send them. */
    name: string;
    inputs: Record<string, any>;
    /** Every output of the component, as the engine returned them, and which are secret. */
    outputs: Record<string, any>;
    secretOutputs: string[];
}

export function readRecording(): Recording {
    return JSON.parse(fs.readFileSync(recordingPath, "utf8"));
}

export function writeRecording(r: Recording): void {
    fs.writeFileSync(recordingPath, JSON.stringify(r, null, 4) + "\n");
}

/**
 * The outputs with what differs between runs masked: the generated external ID (wherever it
 * appears) and the 7 hex digits the AWS provider appends to an auto-name.
 */
export function masked(outputs: Record<string, any>): Record<string, any> {
    let text = JSON.stringify(outputs);
    const externalId = outputs.externalId;
    if (typeof externalId === "string" && externalId !== "") {
        text = text.split(externalId).join("<external-id>");
    }
    return JSON.parse(text.replace(/-[0-9a-f]{7}\b/g, "-<autoname>"));
}
