import { program } from "./setup";

const setup = program();

export const roleArn = setup.roleArn;
export const externalId = setup.externalId;
export const registrations = setup.registrations;
export const mlflowBackendConfigs = setup.mlflowBackendConfigs;
