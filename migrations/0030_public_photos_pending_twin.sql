-- A published photo vanished from its public report when the same bytes were sent again with
-- another report and waited there for review (issue 16's trial: a responder who fixed two
-- nearby barriers attached one photo of the fix to both; the first report's published "after"
-- photo went off the page while the dashboard still said it was public).
--
-- The rule of 0012 stays for what staff took down: bytes hidden in one copy, or carried by a
-- hidden or rejected report, are off the web in every report that carries them. A copy that
-- only waits for review no longer hides the others: a coordinator published those very bytes
-- already, and serving them with the published report tells nothing of the waiting one.
CREATE OR REPLACE VIEW public_photos AS
SELECT p.report_id, p.position, p.hash, p.width, p.height, p.thumb_width, p.thumb_height, p.stage
  FROM photos p JOIN reports r ON r.id = p.report_id
 WHERE p.state = 'published' AND r.review = 'published' AND NOT r.hidden AND r.status <> 'rejected'
   AND NOT EXISTS (SELECT 1 FROM photos q JOIN reports s ON s.id = q.report_id
                    WHERE q.hash = p.hash
                      AND (q.state = 'hidden' OR s.hidden OR s.status = 'rejected'));
