// DeleteEndpoint's not-found is success only when GetEndpoint agrees the endpoint is gone: Ark's
// NotFound may also mean "you may not see it" (docs/ark-api.md, Confirming an absence). The real
// client against the emulator, honest and with deleteAnswersNotFound.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isArkSyncError } from "../../src/core/errors.js";
import { startHarness } from "./emulator-harness.js";

const model = { ModelReference: { CustomModelId: "cm-1" }, Status: "Stopped" as const };

test("honest: a delete of an endpoint already gone succeeds once GetEndpoint does not find it", async () => {
  const h = await startHarness();
  try {
    const { Id } = await h.emulator.seedEndpoint({ Name: "chat", ...model });
    await h.client.deleteEndpoint(Id);
    assert.is(h.emulator.getEndpoint(Id), undefined);
    assert.is(h.client.stats().calls.GetEndpoint, 0, "a delete that succeeds is not read back");
    await h.client.deleteEndpoint(Id);
    assert.equal([h.client.stats().calls.DeleteEndpoint, h.client.stats().calls.GetEndpoint], [2, 1]);
  } finally {
    await h.emulator.close();
  }
});

test("deleteAnswersNotFound: a not-found delete of an endpoint GetEndpoint finds fails, naming both", async () => {
  const h = await startHarness({ deleteAnswersNotFound: true });
  try {
    const { Id } = await h.emulator.seedEndpoint({ Name: "chat", ...model });
    const error = await h.client.deleteEndpoint(Id).then(
      () => assert.unreachable("a delete Ark did not carry out resolved"),
      (thrown: unknown) => thrown,
    );
    assert.ok(isArkSyncError(error) && error.code === "ark_not_found_but_present", String(error));
    const { message, hint } = error as { message: string; hint?: string };
    assert.match(message, `Ark answered DeleteEndpoint for ${Id} with not-found, but the endpoint is there`);
    assert.match(message, "NotFound.Endpoint");
    assert.match(message, /RequestId \w+/);
    assert.match(hint ?? "", "ark:DeleteEndpoint");
    assert.ok(h.emulator.getEndpoint(Id), "still there");
    assert.equal([h.client.stats().calls.DeleteEndpoint, h.client.stats().calls.GetEndpoint], [1, 1]);
  } finally {
    await h.emulator.close();
  }
});

test.run();
