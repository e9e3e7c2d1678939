import assert from 'node:assert/strict'
import { test } from 'node:test'
import { taskRestartPolicyConfig as taskRestartSettings } from '../../src/config/connector-config.ts'
import { TaskRestartPolicy } from '../../src/runtime/task-restart-policy.ts'

test('off by default, as in Apache', () => {
  const policy = new TaskRestartPolicy(taskRestartSettings({}))
  assert.equal(policy.enabled, false)
  assert.deepEqual(policy.failed(), { restart: false, attempts: 0 })
})

test('exponential backoff capped at the maximum, then gives up after max attempts', () => {
  let now = 0
  const policy = new TaskRestartPolicy(taskRestartSettings({
    'errors.task.restart.max.attempts': '4', 'errors.task.restart.backoff.initial.ms': '100', 'errors.task.restart.backoff.max.ms': '250'
  }), () => now)
  const delays: number[] = []
  for (let i = 0; i < 4; i++) {
    policy.started()
    now += 10
    const d = policy.failed()
    assert.equal(d.restart, true)
    if (d.restart) delays.push(d.delayMs)
  }
  assert.deepEqual(delays, [100, 200, 250, 250])
  policy.started()
  now += 10
  assert.deepEqual(policy.failed(), { restart: false, attempts: 4 })
})

test('a task that ran long enough starts a fresh series; a manual restart does too', () => {
  let now = 0
  const policy = new TaskRestartPolicy(taskRestartSettings({ 'errors.task.restart.max.attempts': '1', 'errors.task.restart.backoff.max.ms': '1000' }), () => now)
  policy.started()
  assert.equal(policy.failed().restart, true)
  policy.started()
  assert.equal(policy.failed().restart, false)
  policy.started()
  now += 1000
  assert.equal(policy.failed().restart, true, 'healthy for backoff.max.ms: the count starts again')
  policy.started()
  assert.equal(policy.failed().restart, false)
  policy.reset()
  assert.equal(policy.failed().restart, true)
})
