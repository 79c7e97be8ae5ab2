#pragma once

class ApiRouter;
class AuditService;

// /api/audit: who did what to which object, when, from where (newest first, filtered, paged).
class AuditController
{
public:
    explicit AuditController(AuditService& audit) : m_audit(audit) {}
    void addRoutes(ApiRouter& router);

private:
    AuditService& m_audit;
};
