#pragma once

class ApiRouter;
class AuditLog;

// /api/audit: who did what to which object, when, from where (newest first, filtered, paged).
class AuditController
{
public:
    explicit AuditController(AuditLog& audit) : m_audit(audit) {}
    void addRoutes(ApiRouter& router);

private:
    AuditLog& m_audit;
};
