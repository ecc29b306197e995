
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "AddCommentResult": [
      "AddCommentPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "AddCouncilSystemResult": [
      "AddCouncilSystemPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "AddMemberResult": [
      "AddMemberPayload",
      "ConflictError",
      "ForbiddenError",
      "LastAdminError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "ArchiveCaseStudyResult": [
      "ArchiveCaseStudyPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "ArchiveProblemResult": [
      "ArchiveProblemPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "ArchiveSolutionResult": [
      "ArchiveSolutionPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "ConfirmProblemCurrentResult": [
      "ConfirmProblemCurrentPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "ConfirmSolutionCurrentResult": [
      "ConfirmSolutionCurrentPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "Content": [
      "CaseStudy",
      "Problem",
      "Solution"
    ],
    "CreateApiTokenResult": [
      "ConflictError",
      "CreateApiTokenPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "CreateCaseStudyResult": [
      "ConflictError",
      "CreateCaseStudyPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "CreateCouncilResult": [
      "ConflictError",
      "CreateCouncilPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "CreateProblemResult": [
      "ConflictError",
      "CreateProblemPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "CreateSolutionResult": [
      "ConflictError",
      "CreateSolutionPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "CreateWebhookEndpointResult": [
      "ConflictError",
      "CreateWebhookEndpointPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "DeleteCommentResult": [
      "ConflictError",
      "DeleteCommentPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "DeleteWebhookEndpointResult": [
      "ConflictError",
      "DeleteWebhookEndpointPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "DismissReportsResult": [
      "ConflictError",
      "DismissReportsPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "EditCommentResult": [
      "ConflictError",
      "EditCommentPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "Error": [
      "ConflictError",
      "ForbiddenError",
      "LastAdminError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "FollowResult": [
      "ConflictError",
      "FollowPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "HideContentResult": [
      "ConflictError",
      "ForbiddenError",
      "HideContentPayload",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "LinkSolutionToProblemResult": [
      "ConflictError",
      "ForbiddenError",
      "LinkSolutionToProblemPayload",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "MarkAllNotificationsReadResult": [
      "ConflictError",
      "ForbiddenError",
      "MarkAllNotificationsReadPayload",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "MarkNotificationsReadResult": [
      "ConflictError",
      "ForbiddenError",
      "MarkNotificationsReadPayload",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "MarkProblemSameAsResult": [
      "ConflictError",
      "ForbiddenError",
      "MarkProblemSameAsPayload",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "Node": [
      "ApiToken",
      "CaseStudy",
      "Comment",
      "Council",
      "CouncilSystem",
      "Follow",
      "Member",
      "Notification",
      "Problem",
      "Solution",
      "WebhookDelivery",
      "WebhookEndpoint"
    ],
    "PublishCaseStudyResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "PublishCaseStudyPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "PublishProblemResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "PublishProblemPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "PublishSolutionResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "PublishSolutionPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RecordAdoptionResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "RecordAdoptionPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RedeliverResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "RedeliverPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RemoveCouncilSystemResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "RemoveCouncilSystemPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RemoveMemberResult": [
      "ConflictError",
      "ForbiddenError",
      "LastAdminError",
      "NotFoundError",
      "RemoveMemberPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "ReportContentResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "ReportContentPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RestoreContentResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "RestoreContentPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RevokeApiTokenResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "RevokeApiTokenPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RotateWebhookSecretResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "RotateWebhookSecretPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "SendTestEventResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "SendTestEventPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "SetItemContactResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "SetItemContactPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "SupportProblemResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "SupportProblemPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "UnfollowResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UnfollowPayload",
      "ValidationError"
    ],
    "UnlinkSolutionFromProblemResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UnlinkSolutionFromProblemPayload",
      "ValidationError"
    ],
    "UpdateCaseStudyResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateCaseStudyPayload",
      "ValidationError"
    ],
    "UpdateContactSettingsResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateContactSettingsPayload",
      "ValidationError"
    ],
    "UpdateCouncilResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateCouncilPayload",
      "ValidationError"
    ],
    "UpdateCouncilSystemResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateCouncilSystemPayload",
      "ValidationError"
    ],
    "UpdateEmailSettingsResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateEmailSettingsPayload",
      "ValidationError"
    ],
    "UpdateFollowResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateFollowPayload",
      "ValidationError"
    ],
    "UpdateMemberRoleResult": [
      "ConflictError",
      "ForbiddenError",
      "LastAdminError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateMemberRolePayload",
      "ValidationError"
    ],
    "UpdateProblemResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateProblemPayload",
      "ValidationError"
    ],
    "UpdateSolutionResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateSolutionPayload",
      "ValidationError"
    ],
    "UpdateWebhookEndpointResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateWebhookEndpointPayload",
      "ValidationError"
    ],
    "WithdrawSupportResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError",
      "WithdrawSupportPayload"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "AddCommentResult": [
      "AddCommentPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "AddCouncilSystemResult": [
      "AddCouncilSystemPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "AddMemberResult": [
      "AddMemberPayload",
      "ConflictError",
      "ForbiddenError",
      "LastAdminError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "ArchiveCaseStudyResult": [
      "ArchiveCaseStudyPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "ArchiveProblemResult": [
      "ArchiveProblemPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "ArchiveSolutionResult": [
      "ArchiveSolutionPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "ConfirmProblemCurrentResult": [
      "ConfirmProblemCurrentPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "ConfirmSolutionCurrentResult": [
      "ConfirmSolutionCurrentPayload",
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "Content": [
      "CaseStudy",
      "Problem",
      "Solution"
    ],
    "CreateApiTokenResult": [
      "ConflictError",
      "CreateApiTokenPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "CreateCaseStudyResult": [
      "ConflictError",
      "CreateCaseStudyPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "CreateCouncilResult": [
      "ConflictError",
      "CreateCouncilPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "CreateProblemResult": [
      "ConflictError",
      "CreateProblemPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "CreateSolutionResult": [
      "ConflictError",
      "CreateSolutionPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "CreateWebhookEndpointResult": [
      "ConflictError",
      "CreateWebhookEndpointPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "DeleteCommentResult": [
      "ConflictError",
      "DeleteCommentPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "DeleteWebhookEndpointResult": [
      "ConflictError",
      "DeleteWebhookEndpointPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "DismissReportsResult": [
      "ConflictError",
      "DismissReportsPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "EditCommentResult": [
      "ConflictError",
      "EditCommentPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "Error": [
      "ConflictError",
      "ForbiddenError",
      "LastAdminError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "FollowResult": [
      "ConflictError",
      "FollowPayload",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "HideContentResult": [
      "ConflictError",
      "ForbiddenError",
      "HideContentPayload",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "LinkSolutionToProblemResult": [
      "ConflictError",
      "ForbiddenError",
      "LinkSolutionToProblemPayload",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "MarkAllNotificationsReadResult": [
      "ConflictError",
      "ForbiddenError",
      "MarkAllNotificationsReadPayload",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "MarkNotificationsReadResult": [
      "ConflictError",
      "ForbiddenError",
      "MarkNotificationsReadPayload",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "MarkProblemSameAsResult": [
      "ConflictError",
      "ForbiddenError",
      "MarkProblemSameAsPayload",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "Node": [
      "ApiToken",
      "CaseStudy",
      "Comment",
      "Council",
      "CouncilSystem",
      "Follow",
      "Member",
      "Notification",
      "Problem",
      "Solution",
      "WebhookDelivery",
      "WebhookEndpoint"
    ],
    "PublishCaseStudyResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "PublishCaseStudyPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "PublishProblemResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "PublishProblemPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "PublishSolutionResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "PublishSolutionPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RecordAdoptionResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "RecordAdoptionPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RedeliverResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "RedeliverPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RemoveCouncilSystemResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "RemoveCouncilSystemPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RemoveMemberResult": [
      "ConflictError",
      "ForbiddenError",
      "LastAdminError",
      "NotFoundError",
      "RemoveMemberPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "ReportContentResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "ReportContentPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RestoreContentResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "RestoreContentPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RevokeApiTokenResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "RevokeApiTokenPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "RotateWebhookSecretResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "RotateWebhookSecretPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "SendTestEventResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "SendTestEventPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "SetItemContactResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "SetItemContactPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "SupportProblemResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "SupportProblemPayload",
      "UnauthenticatedError",
      "ValidationError"
    ],
    "UnfollowResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UnfollowPayload",
      "ValidationError"
    ],
    "UnlinkSolutionFromProblemResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UnlinkSolutionFromProblemPayload",
      "ValidationError"
    ],
    "UpdateCaseStudyResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateCaseStudyPayload",
      "ValidationError"
    ],
    "UpdateContactSettingsResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateContactSettingsPayload",
      "ValidationError"
    ],
    "UpdateCouncilResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateCouncilPayload",
      "ValidationError"
    ],
    "UpdateCouncilSystemResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateCouncilSystemPayload",
      "ValidationError"
    ],
    "UpdateEmailSettingsResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateEmailSettingsPayload",
      "ValidationError"
    ],
    "UpdateFollowResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateFollowPayload",
      "ValidationError"
    ],
    "UpdateMemberRoleResult": [
      "ConflictError",
      "ForbiddenError",
      "LastAdminError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateMemberRolePayload",
      "ValidationError"
    ],
    "UpdateProblemResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateProblemPayload",
      "ValidationError"
    ],
    "UpdateSolutionResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateSolutionPayload",
      "ValidationError"
    ],
    "UpdateWebhookEndpointResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "UpdateWebhookEndpointPayload",
      "ValidationError"
    ],
    "WithdrawSupportResult": [
      "ConflictError",
      "ForbiddenError",
      "NotFoundError",
      "UnauthenticatedError",
      "ValidationError",
      "WithdrawSupportPayload"
    ]
  }
};
      export default result;
    