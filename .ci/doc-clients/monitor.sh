#!/bin/bash
API_KEY="sk_test_123456"
TASK_ID="$1"
if [ -z "$TASK_ID" ]; then
echo "Usage: $0 <task_id>"
exit 1
fi
echo "Monitoring task: $TASK_ID"
echo ""
while true; do
RESPONSE=$(curl -s "http://localhost:8080/api/v1/tasks/$TASK_ID" \
-H "X-API-Key: $API_KEY")
STATUS=$(echo $RESPONSE | jq -r '.status')
echo "[$(date +%T)] Status: $STATUS"
case $STATUS in
"TASK_STATUS_COMPLETED")
echo ""
echo "✓ Task completed!"
echo ""
echo $RESPONSE | jq -r '.response.result'
exit 0
;;
"TASK_STATUS_FAILED")
echo ""
echo "✗ Task failed!"
ERROR=$(echo $RESPONSE | jq -r '.error')
echo "Error: $ERROR"
exit 1
;;
"TASK_STATUS_TIMEOUT")
echo ""
echo "✗ Task timed out!"
exit 1
;;
"TASK_STATUS_CANCELLED")
echo ""
echo "✗ Task cancelled!"
exit 1
;;
esac
sleep 2
done
