const axios = require('axios');

async function waitForCompletion(taskId, timeout = 300000) {
const startTime = Date.now();
const pollInterval = 2000; // 2 seconds
while (true) {
const response = await axios.get(
`http://localhost:8080/api/v1/tasks/${taskId}`,
{ headers: { 'X-API-Key': 'sk_test_123456' } }
);
const { status, result, error } = response.data;
if (status === 'TASK_STATUS_COMPLETED') {
return result;
} else if (status === 'TASK_STATUS_FAILED') {
throw new Error(`Task failed: ${error}`);
} else if (status === 'TASK_STATUS_TIMEOUT') {
throw new Error('Task timed out');
}
// Check timeout
if (Date.now() - startTime > timeout) {
throw new Error(`Polling timeout after ${timeout}ms`);
}
// Wait before next poll
await new Promise(resolve => setTimeout(resolve, pollInterval));
}
}

// Usage
waitForCompletion(process.argv[2])
.then(result => console.log('Result:', result))
.catch(error => console.error('Error:', error.message));
