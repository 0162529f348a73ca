import type { History } from '@temporalio/common/lib/proto-utils';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import { createRequire } from 'node:module';

/**
 * History <-> the JSON of `temporal workflow show --output json`, what `historyToJSON`/`historyFromJSON` of
 * `@temporalio/common/lib/proto-utils` do.
 *
 * Why not call those: in this install @temporalio/common and @temporalio/proto each get a nested copy of
 * protobufjs 8 (the hoisted one is 7, for @grpc/proto-loader), and protojson's `type instanceof Type` check fails
 * across the copies ("TypeError: type must be a Type"). So take protojson from the copy that built the proto root.
 * Once `npm ls protobufjs` shows one 8.x copy, the SDK functions work and this file can go.
 */
type ProtoJson = {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
};

const protojson: ProtoJson = createRequire(require.resolve('@temporalio/proto'))('protobufjs/ext/protojson');
const root = patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown };
const historyType = root.lookupType('temporal.api.history.v1.History');

export function historyToJson(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2);
}

/** Only the canonical form the recorder writes (EVENT_TYPE_… enum names), not the old PascalCase CLI output. */
export function historyFromJson(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (history === null) throw new TypeError('not a workflow history');
  return history as History;
}
